using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

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
    private readonly Lock ensuring = new();
    private readonly Dictionary<DateTime, BucketEnsure> ensures = [];

    public TransactionSchedules Begin(DbContext db) => new(db, this);

    internal IBusTopology Topology => bus.Topology;
    internal TimeProvider Clock => clock;
    internal DateTime BucketOf(DateTime dueTime) => triggers.BucketOf(dueTime);

    internal async Task CommittedAsync(IReadOnlyCollection<DateTime> buckets, int scheduled, CancellationToken cancellationToken)
    {
        counters.Scheduled(scheduled);
        try
        {
            foreach (var bucket in buckets.Order())
                await EnsureAfterCommitAsync(bucket).WaitAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // The rows are committed; failing the message now would only redeliver it to an inbox that has it consumed.
            logger.LogWarning(exception, "A bucket trigger could not be ensured after its schedule committed; the overdue sweep fires it");
        }
    }

    /// <summary>
    /// An ensure of the bucket that begins after this call, shared by every commit made before it begins: a burst of
    /// steps into a second about to fire (when each ensure reads Quartz's store) costs one ensure per one under way,
    /// not one per step.
    /// </summary>
    private Task EnsureAfterCommitAsync(DateTime bucket)
    {
        lock (ensuring)
        {
            if (!ensures.TryGetValue(bucket, out var state))
                ensures[bucket] = state = new BucketEnsure();
            var previous = state.Running;
            return state.Next ??= Task.Run(() => RunNextAsync(bucket, state, previous));
        }
    }

    private async Task RunNextAsync(DateTime bucket, BucketEnsure state, Task previous)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (ensuring)
        {
            // Begun: a commit from now on needs an ensure after this one.
            state.Running = state.Next!;
            state.Next = null;
        }

        try
        {
            await triggers.EnsureAsync(bucket, CancellationToken.None);
        }
        finally
        {
            lock (ensuring)
            {
                if (state.Next is null && ensures.TryGetValue(bucket, out var current) && ReferenceEquals(current, state))
                    ensures.Remove(bucket);
            }
        }
    }

    private sealed class BucketEnsure
    {
        /// <summary>The ensure under way, which may have read Quartz's store before a later commit.</summary>
        public Task Running { get; set; } = Task.CompletedTask;

        /// <summary>The ensure that begins once <see cref="Running"/> has ended.</summary>
        public Task? Next { get; set; }
    }
}

/// <summary>
/// What one inbox transaction schedules and cancels. A consumer's scheduling calls may overlap (several awaited
/// together); the DbContext takes one statement at a time.
/// </summary>
internal sealed class TransactionSchedules(DbContext db, InboxScheduling scheduling) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly HashSet<DateTime> buckets = [];
    private int scheduled;

    /// <summary>The scheduler a consumer finds in its context, writing through this transaction.</summary>
    public MessageSchedulerContext SchedulerFor(ConsumeContext context)
    {
        var scheduler = new MessageScheduler(new InboxScheduleMessageProvider(context, this), scheduling.Topology);
        return new ConsumeMessageSchedulerContext(context, _ => scheduler);
    }

    /// <summary>A send the consumer's scheduler made: stored to go out at its time instead of after the commit.</summary>
    public async Task StoreAsync<T>(SendContext<T> context, PendingSchedule schedule, IObjectDeserializer serializer, CancellationToken cancellationToken)
        where T : class
    {
        var message = ScheduledMessage.FromSendContext(context, serializer, scheduling.Clock.GetUtcNow().UtcDateTime);
        message.TokenId = schedule.TokenId;
        message.DueTime = schedule.DueTime;
        message.Bucket = scheduling.BucketOf(schedule.DueTime);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await ScheduledMessageStore.UpsertAsync(db, [message], cancellationToken);
            buckets.Add(message.Bucket);
            scheduled++;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task CancelAsync(Guid tokenId, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await ScheduledMessageStore.CancelAsync(db, tokenId, scheduling.Clock.GetUtcNow().UtcDateTime, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>After the commit: the buckets of what was stored get their triggers. Does not throw.</summary>
    public Task CommittedAsync(CancellationToken cancellationToken) =>
        scheduled == 0 ? Task.CompletedTask : scheduling.CommittedAsync(buckets, scheduled, cancellationToken);

    public void Dispose() => gate.Dispose();
}

/// <summary>Marks a send as scheduled: its due time and scheduling token travel with the send context to the inbox.</summary>
internal sealed class PendingSchedule(DateTime dueTime, Guid tokenId)
{
    public DateTime DueTime { get; } = dueTime;
    public Guid TokenId { get; set; } = tokenId;
}

/// <summary>
/// MassTransit's <see cref="IScheduleMessageProvider"/> for a consumer behind the inbox: the message is sent through the
/// consumer's own (outbox) send endpoint, so it is built exactly as any send of the consumer (ids, headers, serializer,
/// the caller's pipe), and the inbox stores it as a <see cref="ScheduledMessage"/> instead of an outbox message. The
/// token is MassTransit's (<see cref="ScheduleTokenIdCache{T}"/>, or the one the pipe sets as ScheduledMessageId).
/// </summary>
internal sealed class InboxScheduleMessageProvider(ConsumeContext context, TransactionSchedules schedules) : IScheduleMessageProvider
{
    public async Task<ScheduledMessage<T>> ScheduleSend<T>(Uri destinationAddress, DateTime scheduledTime, T message, IPipe<SendContext<T>> pipe,
        CancellationToken cancellationToken)
        where T : class
    {
        if (!MessageTypeCache<T>.IsValidMessageType)
            throw new ArgumentException(MessageTypeCache<T>.InvalidMessageTypeReason, nameof(message));
        var schedule = new PendingSchedule(ScheduledMessage.AsUtc(scheduledTime), ScheduleTokenIdCache<T>.GetTokenId(message));
        var endpoint = await context.GetSendEndpoint(destinationAddress);
        await endpoint.Send(message, new SchedulePipe<T>(schedule, pipe), cancellationToken);
        return new ScheduledMessageHandle<T>(schedule.TokenId, scheduledTime, destinationAddress, message);
    }

    public Task CancelScheduledSend(Guid tokenId, CancellationToken cancellationToken) => schedules.CancelAsync(tokenId, cancellationToken);

    public Task CancelScheduledSend(Uri destinationAddress, Guid tokenId, CancellationToken cancellationToken) =>
        schedules.CancelAsync(tokenId, cancellationToken);

    private sealed class SchedulePipe<T>(PendingSchedule schedule, IPipe<SendContext<T>> pipe) : IPipe<SendContext<T>>
        where T : class
    {
        public async Task Send(SendContext<T> context)
        {
            context.ScheduledMessageId = schedule.TokenId;
            context.GetOrAddPayload(() => schedule);
            if (pipe.IsNotEmpty())
                await pipe.Send(context);
            if (context.ScheduledMessageId is { } token)
                schedule.TokenId = token;
        }

        public void Probe(ProbeContext context) => pipe.Probe(context);
    }
}
