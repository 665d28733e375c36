using MassTransit;

namespace TaskFlow.Contracts;

/// <summary>
/// A reminder went off: its owner should be told now. The reminder saga schedules this event itself and the message
/// scheduler publishes it at <paramref name="IntendedAt"/>; when it actually went out is the scheduler's
/// <c>MT-Quartz-Sent</c> header (MassTransit's <c>MessageHeaders.Quartz.Sent</c>), and the difference is its lateness.
/// </summary>
/// <param name="Offset">How long before the due time it was set to fire, ISO 8601 ("PT15M").</param>
/// <param name="IntendedAt">When it was meant to fire (the due time minus the offset, or the end of a snooze).</param>
[EntityName("taskflow.tasks.reminder-triggered")]
public sealed record ReminderTriggered(
    Guid EventId,
    Guid ReminderId,
    Guid TaskId,
    Guid OwnerId,
    string Title,
    DueSnapshot Due,
    string Offset,
    DateTimeOffset IntendedAt);

/// <summary>
/// Sent to the reminder saga for each reminder a task has after a change. Carries the whole plan, so a repeat or a
/// late arrival is harmless: the saga ignores a plan older than the one it already has (by task version).
/// </summary>
/// <param name="FireAt">The due time minus the offset.</param>
[EntityName("taskflow.reminders.schedule")]
public sealed record ScheduleReminder(
    Guid ReminderId,
    Guid TaskId,
    Guid OwnerId,
    int TaskVersion,
    string Title,
    DueSnapshot Due,
    string Offset,
    DateTimeOffset FireAt);

/// <summary>Stop a reminder: the task was completed (<paramref name="Discard"/> false: reopening may bring it back),
/// or the reminder or its task is gone (true: the saga forgets it after a while).</summary>
[EntityName("taskflow.reminders.cancel")]
public sealed record CancelReminder(Guid ReminderId, Guid TaskId, int TaskVersion, bool Discard);

/// <summary>Fire the reminder again at <paramref name="Until"/>; the API checked that the reminder is its owner's.</summary>
[EntityName("taskflow.reminders.snooze")]
public sealed record SnoozeReminder(Guid ReminderId, Guid TaskId, Guid OwnerId, DateTimeOffset Until);

/// <summary>Scheduled by the reminder saga to forget a discarded reminder once no late plan can still arrive for it.</summary>
[EntityName("taskflow.reminders.expired")]
public sealed record ReminderExpired(Guid ReminderId);
