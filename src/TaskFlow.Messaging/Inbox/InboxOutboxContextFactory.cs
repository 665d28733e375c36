using System.Data;
using System.Data.Common;
using System.Diagnostics;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;

namespace TaskFlow.Messaging.Inbox;

/// <summary>
/// The consumer inbox: MassTransit's <see cref="OutboxMessagePipe{TMessage}"/> decides what each step does
/// (consume, deliver the consumer's messages, finish); this runs every step in its own ReadCommitted transaction on
/// the consume scope's DbContext, holding the (message, consumer) row with <c>SELECT ... FOR UPDATE</c>. The row is
/// created with <c>INSERT ... ON CONFLICT DO NOTHING</c>, so a concurrent duplicate waits for the first instead of
/// failing, then finds it consumed.
/// </summary>
internal sealed class InboxOutboxContextFactory<TDbContext>(TDbContext db, IServiceProvider provider) : IOutboxContextFactory<TDbContext>
    where TDbContext : DbContext
{
    private static string? insertStatement;
    private static string? lockStatement;

    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.GetOriginalMessageId() ?? throw new MessageException(typeof(T), "A MessageId is required to use the inbox.");
        if (insertStatement is null || lockStatement is null)
            BuildStatements(OutboxTables.For(db).InboxState);

        var firstStep = true;
        var continueProcessing = true;
        while (continueProcessing)
        {
            continueProcessing = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                var more = await StepAsync(context, options, next, messageId, firstStep);
                firstStep = false;
                return more;
            });
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("taskflowInbox").Add("provider", "postgresql");

    private async Task<bool> StepAsync<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next,
        Guid messageId, bool firstStep)
        where T : class
    {
        var timer = Stopwatch.StartNew();
        var lockId = NewId.NextGuid();
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, context.CancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync(insertStatement!, [messageId, options.ConsumerId, lockId, DateTime.UtcNow], context.CancellationToken);
            var inbox = await db.Set<InboxState>().FromSqlRaw(lockStatement!, messageId, options.ConsumerId).AsTracking()
                .SingleAsync(context.CancellationToken);
            inbox.LockId = lockId;
            if (firstStep)
                inbox.ReceiveCount++;
            await db.SaveChangesAsync(context.CancellationToken);

            var outboxContext = new InboxConsumeContext<TDbContext, T>(context, options, provider, db, inbox);
            await next.Send(outboxContext);

            try
            {
                await db.SaveChangesAsync(context.CancellationToken);
                await transaction.CommitAsync(context.CancellationToken);
            }
            catch (Exception exception)
            {
                // The consumer succeeded but its work is not stored: report the fault, the message is retried.
                await context.NotifyFaulted(timer.Elapsed, TypeCache<T>.ShortName, exception);
                throw;
            }

            return outboxContext.ContinueProcessing;
        }
        catch
        {
            await RollbackAsync(transaction);
            // Whatever the consumer tracked belongs to the rolled-back transaction.
            db.ChangeTracker.Clear();
            throw;
        }
    }

    private static async Task RollbackAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is InvalidOperationException or DbException)
        {
            // The connection is gone; PostgreSQL has rolled back already.
        }
    }

    private static void BuildStatements(OutboxTables.Table<InboxState> table)
    {
        var messageId = table.Column(i => i.MessageId);
        var consumerId = table.Column(i => i.ConsumerId);
        insertStatement = $$"""
            INSERT INTO {{table.Name}} ({{messageId}}, {{consumerId}}, {{table.Column(i => i.LockId)}}, {{table.Column(i => i.Received)}}, {{table.Column(i => i.ReceiveCount)}})
            VALUES ({0}, {1}, {2}, {3}, 0)
            ON CONFLICT ({{messageId}}, {{consumerId}}) DO NOTHING
            """;
        lockStatement = $"SELECT * FROM {table.Name} WHERE {messageId} = {{0}} AND {consumerId} = {{1}} FOR UPDATE";
    }
}
