using System.Data;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Sagas;

/// <summary>
/// Runs each message's saga work on the consume scope's <typeparamref name="TDbContext"/>. Behind the inbox that
/// context already has the inbox's transaction: the saga joins it and the inbox commits saga, inbox and outbox rows
/// together. Otherwise the factory opens a ReadCommitted transaction of its own and commits it after the saga pipe.
/// </summary>
internal sealed class TaskFlowSagaRepositoryContextFactory<TDbContext, TSaga>(TDbContext db, ISagaConsumeContextFactory<TDbContext, TSaga> factory) :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TDbContext : DbContext
    where TSaga : class, ISaga
{
    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var statements = ModelStatements.For<SagaStatements<TDbContext, TSaga>>(db);
        return InTransactionAsync(() => next.Send(new TaskFlowSagaRepositoryContext<TDbContext, TSaga, T>(db, context, factory, statements)),
            context.CancellationToken);
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(next);
        var statements = ModelStatements.For<SagaStatements<TDbContext, TSaga>>(db);
        return InTransactionAsync(async () =>
        {
            var repositoryContext = new TaskFlowSagaRepositoryContext<TDbContext, TSaga, T>(db, context, factory, statements);
            var instances = await repositoryContext.LockMatchingAsync(query);
            await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
        }, context.CancellationToken);
    }

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(asyncMethod);
        ModelStatements.For<SagaStatements<TDbContext, TSaga>>(db);
        return asyncMethod(new TaskFlowSagaReadContext<TSaga>(db, cancellationToken));
    }

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(asyncMethod);
        ModelStatements.For<SagaStatements<TDbContext, TSaga>>(db);
        return asyncMethod(new TaskFlowSagaReadContext<TSaga>(db, cancellationToken));
    }

    public void Probe(ProbeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Add("persistence", "taskflow-postgresql");
        context.Add("dbContext", typeof(TDbContext).Name);
    }

    private async Task InTransactionAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            // Not ours to commit or roll back; on failure the inbox rolls back and clears the change tracker.
            await work();
            DetachInstances();
            return;
        }

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            try
            {
                await work();
                await transaction.CommitAsync(cancellationToken);
            }
            catch
            {
                await TransactionRollback.QuietlyAsync(transaction);
                // Everything tracked now describes rows of a rolled-back transaction.
                db.ChangeTracker.Clear();
                throw;
            }

            DetachInstances();
        });
    }

    // The scoped context outlives this message's saga step (inbox steps, other consumers in the scope); a tracked
    // instance left behind would shadow the next read of its row.
    private void DetachInstances()
    {
        foreach (var entry in db.ChangeTracker.Entries<TSaga>().ToList())
            entry.State = EntityState.Detached;
    }
}
