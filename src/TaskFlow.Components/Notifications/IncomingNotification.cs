using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Notifications;

/// <summary>An event of a batch, as the notification it becomes.</summary>
/// <param name="ReminderToken">A fired reminder's scheduling token, which tells its current event from a cancelled one.</param>
/// <param name="Origin">The client whose request made the change; none for what the system does.</param>
internal sealed record IncomingNotification(
    ConsumeContext Context, Guid OwnerId, Guid EventId, string Kind, Guid TaskId, string Title, int? TaskVersion, Guid? ReminderId,
    DateTimeOffset OccurredAt, Guid? ReminderToken = null, string? Origin = null)
{
    // An occurrence is the system's doing, though the event that led to it was a client's: a consumer's publishes carry
    // the headers of the message it consumed, so the occurrence created on completing a task arrives with the completer's.
    public static IncomingNotification Of(ConsumeContext context, ITaskEvent e, string kind, string title) =>
        new(context, e.OwnerId, e.EventId, kind, e.TaskId, title, e.Version, null, e.OccurredAt,
            Origin: kind == NotificationKinds.OccurrenceCreated ? null : ChangeOrigin.Of(context));
}
