using MassTransit;

namespace TaskFlow.Messaging.Sagas;

/// <summary>
/// Registration shaped like MassTransit.EntityFrameworkCore's saga repository, so swapping to it is a rename:
/// <c>TaskFlowRepository(r =&gt; r.ExistingDbContext&lt;T&gt;())</c> ↔
/// <c>EntityFrameworkRepository(r =&gt; { r.ExistingDbContext&lt;T&gt;(); r.UsePostgres(); })</c>, and
/// <c>SetTaskFlowSagaRepositoryProvider</c> ↔ <c>SetEntityFrameworkSagaRepositoryProvider</c>.
/// </summary>
public static class TaskFlowSagaRepositoryRegistrationExtensions
{
    /// <summary>
    /// Keeps this saga's instances in the application's DbContext on PostgreSQL, one row per instance, each message
    /// holding its instance's row lock until its transaction ends.
    /// </summary>
    public static ISagaRegistrationConfigurator<TSaga> TaskFlowRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator,
        Action<ITaskFlowSagaRepositoryConfigurator> configure)
        where TSaga : class, ISaga
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(configure);
        var repository = new TaskFlowSagaRepositoryConfigurator();
        configure(repository);
        configurator.Repository(repository.Register);
        return configurator;
    }

    /// <summary>The TaskFlow repository for every saga added without a repository of its own (e.g. by AddSagaStateMachines).</summary>
    public static void SetTaskFlowSagaRepositoryProvider(this IRegistrationConfigurator configurator, Action<ITaskFlowSagaRepositoryConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(configure);
        configurator.SetSagaRepositoryProvider(new TaskFlowSagaRepositoryRegistrationProvider(configure));
    }
}
