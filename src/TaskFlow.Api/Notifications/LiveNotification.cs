using TaskFlow.Components.Notifications;
using TaskFlow.Contracts;

namespace TaskFlow.Api.Notifications;

/// <summary>A notification as a browser gets it, pushed live or read from the stored list.</summary>
/// <param name="Id">Increases per user in the order notifications were stored; reconnecting, a client asks for those after the last it saw.</param>
/// <param name="Kind">task.created, task.updated, task.completed, task.reopened, task.deleted, reminder.triggered or
/// occurrence.created (the next occurrence of a repeating series).</param>
/// <param name="Version">The task's version after the change; a client holding this version or a later one has nothing to re-read.</param>
/// <param name="ReminderId">For reminder.triggered, the reminder to snooze.</param>
/// <param name="Origin">The X-TaskFlow-Client of the request that made the change: a window that finds its own id here
/// made it itself. Null when the system did (reminders, occurrences of a series) or the client sent no such header.</param>
public sealed record LiveNotification(
    long Id,
    Guid EventId,
    string Kind,
    Guid TaskId,
    string Title,
    int? Version,
    Guid? ReminderId,
    DateTimeOffset OccurredAt,
    bool Read,
    string? Origin)
{
    /// <summary>The client method every notification is sent to.</summary>
    public const string Method = "notification";

    public static LiveNotification From(NotificationAdded n) =>
        new(n.Id, n.EventId, n.Kind, n.TaskId, n.Title, n.TaskVersion, n.ReminderId, n.OccurredAt, Read: false, n.Origin);

    public static LiveNotification From(Notification n) =>
        new(n.Id, n.EventId, n.Kind, n.TaskId, n.Title, n.TaskVersion, n.ReminderId, n.OccurredAt, n.ReadAt is not null, n.Origin);
}
