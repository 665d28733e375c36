using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// What one inbox transaction schedules and cancels. A consumer's scheduling calls may overlap (several awaited
/// together); the DbContext takes one statement at a time.
/// </summary>
internal sealed class TransactionSchedules(DbContext db, InboxScheduling scheduling) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly HashSet<DateTime> buckets = [];
    private int scheduled;

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
