using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Sagas;

/// <summary>
/// The two statements LINQ cannot express for <typeparamref name="TSaga"/> in <typeparamref name="TDbContext"/>: the
/// row lock and the lock on a correlation id that has no row yet. Names come from the model, so any naming convention
/// or schema works.
/// </summary>
internal sealed class SagaStatements<TDbContext, TSaga> : IModelStatements<SagaStatements<TDbContext, TSaga>>
    where TDbContext : DbContext
    where TSaga : class, ISaga
{
    private SagaStatements(IModel model)
    {
        var hint = $"map it in {typeof(TDbContext).Name}.OnModelCreating (modelBuilder.Entity<{typeof(TSaga).Name}>() with key CorrelationId) "
            + "to keep it in the TaskFlow saga repository";
        var table = new ModelTable<TSaga>(model, hint);
        var key = table.EntityType.FindPrimaryKey();
        if (key is null || key.Properties.Count != 1 || key.Properties[0].Name != nameof(ISaga.CorrelationId))
            throw new InvalidOperationException($"{typeof(TSaga).Name} must have CorrelationId as its only key in {typeof(TDbContext).Name}.");

        var correlationId = table.Column(s => s.CorrelationId);
        LockRow = $"SELECT * FROM {table.Name} WHERE {correlationId} = {{0}} FOR UPDATE";
        // A row lock cannot hold a correlation id that has no row yet, so creators of the same new instance meet on a
        // transaction-scoped advisory lock instead; the key names the table so two saga types never wait on each other.
        LockNewId = "SELECT pg_advisory_xact_lock(hashtextextended({0}, 0))";
        TableName = table.Name;
    }

    public string LockRow { get; }
    public string LockNewId { get; }
    public string TableName { get; }

    public static SagaStatements<TDbContext, TSaga> Build(IModel model) => new(model);

    public string NewIdLockKey(Guid correlationId) => $"{TableName}/{correlationId:N}";
}
