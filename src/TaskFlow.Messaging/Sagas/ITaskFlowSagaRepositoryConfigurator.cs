using Microsoft.EntityFrameworkCore;

namespace TaskFlow.Messaging.Sagas;

/// <summary>The counterpart of MassTransit's <c>IEntityFrameworkSagaRepositoryConfigurator</c> (PostgreSQL, pessimistic only).</summary>
public interface ITaskFlowSagaRepositoryConfigurator
{
    /// <summary>
    /// Keep the saga in the application's scoped <typeparamref name="TDbContext"/>, which maps the saga entity (key
    /// CorrelationId); behind <c>UseTaskFlowOutbox</c> it is the same context, and transaction, as the inbox.
    /// </summary>
    void ExistingDbContext<TDbContext>()
        where TDbContext : DbContext;
}
