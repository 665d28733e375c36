using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace TaskFlow.Messaging.Sagas;

/// <summary>
/// One message's view of the saga table, always inside a transaction (the inbox's or the factory's own): instances are
/// read with <c>SELECT ... FOR UPDATE</c>, so every message for one instance waits for the previous one to commit.
/// </summary>
internal sealed class TaskFlowSagaRepositoryContext<TDbContext, TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TDbContext : DbContext
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly TDbContext db;
    private readonly ConsumeContext<TMessage> consumeContext;
    private readonly ISagaConsumeContextFactory<TDbContext, TSaga> factory;
    private readonly SagaStatements<TDbContext, TSaga> statements;

    // The DbContext rides along as a payload (as with MassTransit's EF repository) so activities can reach the context
    // and transaction the instance lives in.
    public TaskFlowSagaRepositoryContext(TDbContext db, ConsumeContext<TMessage> consumeContext, ISagaConsumeContextFactory<TDbContext, TSaga> factory,
        SagaStatements<TDbContext, TSaga> statements)
        : base(consumeContext, db)
    {
        this.db = db;
        this.consumeContext = consumeContext;
        this.factory = factory;
        this.statements = statements;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(db, consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>?> Insert(TSaga instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await LockNewIdAsync(instance.CorrelationId);
        if (await LoadLockedAsync(instance.CorrelationId) is not null)
            return null;

        db.Set<TSaga>().Add(instance);
        await db.SaveChangesAsync(CancellationToken);
        return await factory.CreateSagaConsumeContext(db, consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>?> Load(Guid correlationId)
    {
        var instance = await LoadLockedAsync(correlationId);
        if (instance is null)
        {
            // Missing: hold the id until this transaction ends, so whatever this message creates is committed before a
            // concurrent message for the same id looks again (and finds it) instead of creating a second instance.
            await LockNewIdAsync(correlationId);
            instance = await LoadLockedAsync(correlationId);
        }

        return instance is null ? null : await factory.CreateSagaConsumeContext(db, consumeContext, instance, SagaConsumeContextMode.Load);
    }

    public async Task Save(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        db.Set<TSaga>().Add(context.Saga);
        await db.SaveChangesAsync(CancellationToken);
    }

    public Task Update(SagaConsumeContext<TSaga> context) => db.SaveChangesAsync(CancellationToken);

    public async Task Delete(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        db.Set<TSaga>().Remove(context.Saga);
        await db.SaveChangesAsync(CancellationToken);
    }

    public Task Discard(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // An added instance was never written; all there is to forget is a tracked entry, if any.
        Detach(context.Saga.CorrelationId);
        return Task.CompletedTask;
    }

    public Task Undo(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Read-only policies must not write: a later SaveChanges on the shared context would otherwise store the change.
        Detach(context.Saga.CorrelationId);
        return Task.CompletedTask;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(db, consumeContext, instance, mode);

    /// <summary>
    /// Query correlation: the ids matching the filter, then each locked in id order (a fixed order, so two queries
    /// cannot deadlock on each other) with the filter checked again on the locked, current row.
    /// </summary>
    public async Task<List<TSaga>> LockMatchingAsync(ISagaQuery<TSaga> query)
    {
        var ids = await db.Set<TSaga>().AsNoTracking().Where(query.FilterExpression)
            .Select(s => s.CorrelationId).OrderBy(id => id).ToListAsync(CancellationToken);
        var instances = new List<TSaga>(ids.Count);
        foreach (var id in ids)
        {
            Detach(id);
            var instance = await db.Set<TSaga>().FromSqlRaw(statements.LockRow, id).Where(query.FilterExpression).AsTracking()
                .SingleOrDefaultAsync(CancellationToken);
            if (instance is not null)
                instances.Add(instance);
        }

        return instances;
    }

    private async Task<TSaga?> LoadLockedAsync(Guid correlationId)
    {
        // A tracked copy would win over the row just read (identity resolution) and hide other messages' changes.
        Detach(correlationId);
        return await db.Set<TSaga>().FromSqlRaw(statements.LockRow, correlationId).AsTracking().SingleOrDefaultAsync(CancellationToken);
    }

    private async Task LockNewIdAsync(Guid correlationId) =>
        await db.Database.ExecuteSqlRawAsync(statements.LockNewId, [statements.NewIdLockKey(correlationId)], CancellationToken);

    private void Detach(Guid correlationId)
    {
        foreach (var entry in db.ChangeTracker.Entries<TSaga>().Where(e => e.Entity.CorrelationId == correlationId).ToList())
            entry.State = EntityState.Detached;
    }
}
