using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TaskFlow.Testing;

/// <summary>
/// The PostgreSQL transactions a host's DbContexts commit: each explicit transaction once, and each statement run outside
/// one (PostgreSQL commits it on its own). Registered as an <see cref="IInterceptor"/>, it joins every TaskFlow context.
/// </summary>
public sealed class TransactionCounter : DbTransactionInterceptor, IDbCommandInterceptor
{
    private long committed;

    public long Committed => Interlocked.Read(ref committed);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref committed);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Interlocked.Increment(ref committed);

    ValueTask<DbDataReader> IDbCommandInterceptor.ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken) => ValueTask.FromResult(Autocommitted(command, result));

    DbDataReader IDbCommandInterceptor.ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) =>
        Autocommitted(command, result);

    ValueTask<int> IDbCommandInterceptor.NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken) => ValueTask.FromResult(Autocommitted(command, result));

    int IDbCommandInterceptor.NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) => Autocommitted(command, result);

    ValueTask<object?> IDbCommandInterceptor.ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken) => ValueTask.FromResult(Autocommitted(command, result));

    object? IDbCommandInterceptor.ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) => Autocommitted(command, result);

    private T Autocommitted<T>(DbCommand command, T result)
    {
        if (command.Transaction is null)
            Interlocked.Increment(ref committed);
        return result;
    }
}
