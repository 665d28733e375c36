namespace TaskFlow.Api.Tasks;

/// <param name="Id">Stable for the task and offset; used to snooze it.</param>
/// <param name="State">pending (not planned yet), scheduled, fired, skipped (the task was overdue when set) or stopped (task done).</param>
/// <param name="FireAt">When it fires next, or fired last: the due time minus the offset, or the end of a snooze.</param>
/// <param name="FiredAt">When it last went off.</param>
public sealed record ReminderResponse(Guid Id, string Offset, string State, DateTimeOffset? FireAt, DateTimeOffset? FiredAt);
