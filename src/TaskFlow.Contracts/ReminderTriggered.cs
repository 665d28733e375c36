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
