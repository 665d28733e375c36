using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TaskFlow.Messaging.Inbox;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// Transactional scheduling, on in a process that runs the scheduler service: a consumer behind the inbox of
/// <typeparamref name="TDbContext"/> schedules into <see cref="ScheduledMessage"/> in the inbox's own transaction
/// instead of sending a <c>ScheduleMessage</c> to the scheduler queue, and cancels by deleting the row there. The
/// schedule commits or rolls back with the consumer's state, costs no transaction of its own and crosses no queue;
/// each bucket's trigger is ensured once the transaction has committed, so a firing cannot miss the row. A crash
/// between the commit and the trigger leaves a stored row without one: <see cref="OverdueBucketSweeper{TDbContext}"/>
/// fires it, at most <see cref="TaskFlowSchedulerOptions.SweepGrace"/> plus one
/// <see cref="TaskFlowSchedulerOptions.SweepInterval"/> late.
/// </summary>
internal sealed class InboxScheduling<TDbContext>(
    BucketTriggers triggers,
    SchedulerCounters counters,
    IBus bus,
    TimeProvider clock,
    ILogger<InboxScheduling<TDbContext>> logger) : InboxScheduling(triggers, counters, bus, clock, logger)
    where TDbContext : DbContext;

internal abstract class InboxScheduling(BucketTriggers triggers, SchedulerCounters counters, IBus bus, TimeProvider clock, ILogger logger)
{
    private readonly CoalescedBucketEnsures ensures = new(triggers);

    public TransactionSchedules Begin(DbContext db) => new(db, this);

    /// <summary>The scheduler a consumer finds in its context, writing through its inbox transaction.</summary>
    public MessageSchedulerContext SchedulerFor(ConsumeContext context, InboxTransaction transaction)
    {
        var scheduler = new MessageScheduler(new InboxScheduleMessageProvider(context, transaction), bus.Topology);
        return new ConsumeMessageSchedulerContext(context, _ => scheduler);
    }

    internal TimeProvider Clock => clock;
    internal DateTime BucketOf(DateTime dueTime) => triggers.BucketOf(dueTime);

    internal async Task CommittedAsync(IReadOnlyCollection<DateTime> buckets, int scheduled, CancellationToken cancellationToken)
    {
        counters.Scheduled(scheduled);
        try
        {
            foreach (var bucket in buckets.Order())
                await ensures.EnsureAfterCommitAsync(bucket).WaitAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // The rows are committed; failing the message now would only redeliver it to an inbox that has it consumed.
            logger.LogWarning(exception, "A bucket trigger could not be ensured after its schedule committed; the overdue sweep fires it");
        }
    }
}
