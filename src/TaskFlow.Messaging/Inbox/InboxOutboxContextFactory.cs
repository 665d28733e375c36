using System.Data;
using System.Diagnostics;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Scheduling;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Inbox;

/// <summary>
/// The consumer inbox: MassTransit's <see cref="OutboxMessagePipe{TMessage}"/> decides what each step does
/// (consume, deliver the consumer's messages, finish); this runs every step in its own ReadCommitted transaction on
/// the consume scope's DbContext (steps that need no commit in between share one), holding the (message, consumer)
/// row with <c>SELECT ... FOR UPDATE</c>. The row is
/// created with <c>INSERT ... ON CONFLICT DO NOTHING</c>, so a concurrent duplicate waits for the first instead of
/// failing, then finds it consumed. In a process that runs the scheduler service the consumer's scheduler writes in
/// this transaction too (<see cref="InboxScheduling{TDbContext}"/>), and the triggers are ensured after the commit.
/// </summary>
internal sealed class InboxOutboxContextFactory<TDbContext>(TDbContext db, IServiceProvider provider, TimeProvider clock) : IOutboxContextFactory<TDbContext>
    where TDbContext : DbContext
{
    private readonly InboxScheduling? scheduling = provider.GetService<InboxScheduling<TDbContext>>();

    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.GetOriginalMessageId() ?? throw new MessageException(typeof(T), "A MessageId is required to use the inbox.");
        var upsert = ModelStatements.For<InboxStatements>(db).Upsert;
        var firstStep = true;
        var continueProcessing = true;
        while (continueProcessing)
        {
            continueProcessing = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                var more = await StepAsync(context, options, next, upsert, messageId, firstStep);
                firstStep = false;
                return more;
            });
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("taskflowInbox").Add("provider", "postgresql");

    private async Task<bool> StepAsync<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next,
        string upsert, Guid messageId, bool firstStep)
        where T : class
    {
        var timer = Stopwatch.StartNew();
        var lockId = NewId.NextGuid();
        // The whole transaction commits or rolls back: EF's savepoint around every SaveChanges would only add round trips.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, context.CancellationToken);
        try
        {
            // One statement creates or locks the row: ON CONFLICT DO UPDATE waits for a concurrent duplicate's commit.
            var rows = db.Set<InboxState>()
                .FromSqlRaw(upsert, messageId, options.ConsumerId, lockId, clock.GetUtcNow().UtcDateTime, firstStep ? 1 : 0)
                .AsTracking()
                .AsAsyncEnumerable();
            InboxState? locked = null;
            await foreach (var row in rows.WithCancellation(context.CancellationToken))
                locked = row;
            var inbox = locked ?? throw new InvalidOperationException("The inbox row was neither inserted nor found.");
            // The upsert inserts a first receive with a count of 1 and adds to the count of an existing row, which is at
            // least 1: a first step that reads 1 created the row itself.
            using var shared = new InboxTransaction(inserted: firstStep && inbox.ReceiveCount == 1, scheduling, db);

            // MassTransit's pipe takes one step per call: consume, deliver what the consumer sent, finish. Only the
            // messages a consumer sent need their own commit before delivery; every other step joins this transaction,
            // so a consumer that sends nothing costs one transaction, and one that does costs two.
            InboxConsumeContext<TDbContext, T> outboxContext;
            bool mustCommitBeforeNextStep;
            do
            {
                outboxContext = new InboxConsumeContext<TDbContext, T>(context, options, provider, db, inbox, shared, clock);
                var consuming = !outboxContext.IsMessageConsumed;
                await next.Send(outboxContext);
                mustCommitBeforeNextStep = consuming && shared.AddedMessages;
            }
            while (outboxContext.ContinueProcessing && !mustCommitBeforeNextStep);

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

            await shared.CommittedAsync(context.CancellationToken);

            return outboxContext.ContinueProcessing;
        }
        catch
        {
            await TransactionRollback.QuietlyAsync(transaction);
            // Whatever the consumer tracked belongs to the rolled-back transaction.
            db.ChangeTracker.Clear();
            throw;
        }
    }
}
