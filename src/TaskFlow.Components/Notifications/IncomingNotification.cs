using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Notifications;

/// <summary>An event of a batch, as the notification it becomes.</summary>
/// <param name="ReminderToken">A fired reminder's scheduling token, which tells its current event from a cancelled one.</param>
internal sealed record IncomingNotification(
    ConsumeContext Context, Guid OwnerId, Guid EventId, string Kind, Guid TaskId, string Title, int? TaskVersion, Guid? ReminderId,
    DateTimeOffset OccurredAt, Guid? ReminderToken = null)
{
    public static IncomingNotification Of(ConsumeContext context, ITaskEvent e, string kind, string title) =>
        new(context, e.OwnerId, e.EventId, kind, e.TaskId, title, e.Version, null, e.OccurredAt);
}
