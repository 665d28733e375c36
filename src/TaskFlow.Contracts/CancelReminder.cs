using MassTransit;

namespace TaskFlow.Contracts;

/// <summary>Stop a reminder: the task was completed (<paramref name="Discard"/> false: reopening may bring it back),
/// or the reminder or its task is gone (true: the saga forgets it after a while).</summary>
[EntityName("taskflow.reminders.cancel")]
public sealed record CancelReminder(Guid ReminderId, Guid TaskId, int TaskVersion, bool Discard);
