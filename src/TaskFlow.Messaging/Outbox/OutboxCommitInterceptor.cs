using System.Data.Common;
using System.Runtime.CompilerServices;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// Wakes this process's delivery service when a transaction that wrote outbox states commits (or, in a process that
/// delivers nothing, has <see cref="OutboxCommitAnnouncer{TDbContext}"/> wake the instances that do).
/// </summary>
internal sealed class OutboxCommitInterceptor(IBusOutboxNotification notification) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> pending = new();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Track(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Track(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SavedOutsideTransaction(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SavedOutsideTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => FailedOutsideTransaction(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        FailedOutsideTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Track(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<OutboxState>().Any(e => e.State == EntityState.Added))
            pending.AddOrUpdate(context, context);
    }

    // With no transaction of the application's, SaveChanges has committed its own by the time it returns.
    private void SavedOutsideTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
            Committed(context);
    }

    private void FailedOutsideTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
            Forget(context);
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && pending.Remove(context))
            notification.Delivered();
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
            pending.Remove(context);
    }
}
