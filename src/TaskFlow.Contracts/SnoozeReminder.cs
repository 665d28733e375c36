using MassTransit;

namespace TaskFlow.Contracts;

/// <summary>Fire the reminder again at <paramref name="Until"/>; the API checked that the reminder is its owner's.</summary>
[EntityName("taskflow.reminders.snooze")]
public sealed record SnoozeReminder(Guid ReminderId, Guid TaskId, Guid OwnerId, DateTimeOffset Until);
