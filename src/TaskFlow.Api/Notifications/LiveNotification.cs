using TaskFlow.Contracts;

namespace TaskFlow.Api.Notifications;

/// <summary>What a browser is told about a change: enough to show it and to decide whether to re-read the task.</summary>
/// <param name="Kind">task.created, task.updated, task.completed, task.reopened, task.deleted or reminder.triggered.</param>
/// <param name="Version">The task's version after the change; a client holding this version or a later one has nothing to re-read.</param>
/// <param name="Changed">For task.updated, the fields that changed.</param>
/// <param name="ReminderId">For reminder.triggered, the reminder to snooze.</param>
public sealed record LiveNotification(
    Guid EventId,
    string Kind,
    Guid TaskId,
    string Title,
    int? Version,
    DateTimeOffset OccurredAt,
    IReadOnlyList<string>? Changed = null,
    Guid? ReminderId = null)
{
    /// <summary>The client method every notification is sent to.</summary>
    public const string Method = "notification";

    public static LiveNotification From(ITaskEvent e, string kind, string title, IReadOnlyList<string>? changed = null) =>
        new(e.EventId, kind, e.TaskId, title, e.Version, e.OccurredAt, changed);

    public static LiveNotification From(ReminderTriggered e, DateTimeOffset sentAt) =>
        new(e.EventId, "reminder.triggered", e.TaskId, e.Title, null, sentAt, ReminderId: e.ReminderId);
}
