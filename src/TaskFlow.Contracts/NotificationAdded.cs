using MassTransit;

namespace TaskFlow.Contracts;

/// <summary>
/// A notification was stored in its owner's inbox. The API instances push it to the owner's open browsers; its
/// <paramref name="Id"/> is what a browser that reconnects asks to catch up after.
/// </summary>
/// <param name="Id">Increases, per owner, in the order the notifications were stored.</param>
/// <param name="Kind">task.created, task.updated, task.completed, task.reopened, task.deleted, reminder.triggered or
/// occurrence.created (the next occurrence of a repeating series).</param>
/// <param name="TaskVersion">The task's version after the change; none for a reminder.</param>
/// <param name="ReminderId">For reminder.triggered, the reminder to snooze.</param>
/// <param name="Origin">The client (a browser window's X-TaskFlow-Client) whose request made the change; null when the
/// system made it (a reminder, an occurrence the recurrence consumer created) or the client sent none. Last and optional, so
/// an announcement from a worker of an earlier version still reads.</param>
[EntityName("taskflow.notifications.added")]
public sealed record NotificationAdded(
    long Id,
    Guid EventId,
    Guid OwnerId,
    string Kind,
    Guid TaskId,
    string Title,
    int? TaskVersion,
    Guid? ReminderId,
    DateTimeOffset OccurredAt,
    string? Origin = null);
