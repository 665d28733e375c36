using MassTransit;

namespace TaskFlow.Contracts;

/// <summary>Scheduled by the reminder saga to forget a discarded reminder once no late plan can still arrive for it.</summary>
[EntityName("taskflow.reminders.expired")]
public sealed record ReminderExpired(Guid ReminderId);
