using MassTransit;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Bus;
using TaskFlow.Components.Data;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Notifications;

/// <summary>
/// Stores each user's notifications: every task event and fired reminder becomes a notification, stored once per event, and
/// is then announced for the API instances to push live, a batch's in one <see cref="NotificationsAdded"/>, unless the
/// user's preferences leave its kind out or it is their quiet hours; a redelivered event is announced again, not stored again.
/// A reminder's event that is no longer its reminder's (cancelled after the scheduler had it) is neither.
/// Events come in batches (task changes in bursts, ten thousand reminders due in one second): one transaction and one
/// statement store up to <see cref="NotificationStoreDefinition.BatchSize"/> of them, in the order they arrived. One owner's
/// task events are taken one at a time across batches, and owners' notifications commit one owner at a time, so their
/// ids follow arrival order and their pushes follow their ids.
/// </summary>
public sealed class NotificationStore(TaskFlowDbContext db, TimeProvider clock) : ITaskEventBatchConsumer, IConsumer<Batch<ReminderTriggered>>
{
    public Task Consume(ConsumeContext<Batch<TaskCreated>> context) =>
        StoreAsync(context, context.Message.Select(m => IncomingNotification.Of(m, m.Message,
            m.Message.NextOccurrence ? NotificationKinds.OccurrenceCreated : NotificationKinds.TaskCreated, m.Message.Task.Title)));

    public Task Consume(ConsumeContext<Batch<TaskUpdated>> context) =>
        StoreAsync(context, context.Message.Select(m => IncomingNotification.Of(m, m.Message, NotificationKinds.TaskUpdated, m.Message.Task.Title)));

    public Task Consume(ConsumeContext<Batch<TaskCompleted>> context) =>
        StoreAsync(context, context.Message.Select(m => IncomingNotification.Of(m, m.Message, NotificationKinds.TaskCompleted, m.Message.Task.Title)));

    public Task Consume(ConsumeContext<Batch<TaskReopened>> context) =>
        StoreAsync(context, context.Message.Select(m => IncomingNotification.Of(m, m.Message, NotificationKinds.TaskReopened, m.Message.Task.Title)));

    public Task Consume(ConsumeContext<Batch<TaskDeleted>> context) =>
        StoreAsync(context, context.Message.Select(m => IncomingNotification.Of(m, m.Message, NotificationKinds.TaskDeleted, m.Message.Title)));

    public Task Consume(ConsumeContext<Batch<ReminderTriggered>> context) =>
        StoreAsync(context, context.Message.Select(m => new IncomingNotification(
            m, m.Message.OwnerId, m.Message.EventId, NotificationKinds.ReminderTriggered, m.Message.TaskId, m.Message.Title, null, m.Message.ReminderId,
            m.Headers.Get<DateTimeOffset>(MessageHeaders.Quartz.Sent) ?? m.Message.IntendedAt, m.GetSchedulingTokenId())));

    private async Task StoreAsync(ConsumeContext batch, IEnumerable<IncomingNotification> incoming)
    {
        var all = incoming.ToList();
        // A redelivered message can share a batch with its first delivery: the event id is stored once either way.
        var events = all.DistinctBy(i => i.EventId).ToList();
        var again = all.Where(i => MayHaveBeenSeen(i.Context) || MayHaveBeenSeen(batch)).Select(i => i.EventId).Distinct().ToArray();
        var owners = events.Select(e => e.OwnerId.ToString()).Distinct().Order(StringComparer.Ordinal).ToArray();

        List<StoredNotification> stored;
        await using (var transaction = await db.Database.BeginTransactionAsync(batch.CancellationToken))
        {
            await db.Database.LockOwnersAsync(owners, batch.CancellationToken);
            stored = await db.Database.StoreAsync(events, again, batch.CancellationToken);
            await transaction.CommitAsync(batch.CancellationToken);
        }

        // A process that dies between the commit above and these pushes leaves the messages unacknowledged: their
        // redelivery finds the notifications stored and pushes them then. A connected browser would otherwise never see
        // them, as it only catches up after its newest id. Browsers drop a push whose id they already hold.
        // One message for the batch, in id order: the API instances push each owner's in that order.
        var now = clock.GetUtcNow();
        var pushes = stored
            .Where(s => s.PushesLive(now))
            .Select(s => new NotificationAdded(s.Id, s.EventId, s.OwnerId, s.Kind, s.TaskId, s.Title, s.TaskVersion, s.ReminderId, s.OccurredAt, s.Origin))
            .ToList();
        if (pushes.Count > 0)
            await batch.Publish(new NotificationsAdded(pushes), batch.CancellationToken);
    }

    /// <summary>
    /// A redelivery, or a retry after a failure that may have come after the commit: an earlier attempt may have
    /// stored the notification and died before (or after) pushing it.
    /// </summary>
    private static bool MayHaveBeenSeen(ConsumeContext context) => context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0;
}
