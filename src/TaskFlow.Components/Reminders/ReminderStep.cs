namespace TaskFlow.Components.Reminders;

/// <summary>
/// What a reminder does now (<see cref="ReminderTiming.Decide(ReminderState, TaskFlow.Contracts.ScheduleReminder, DateTimeOffset, TimeSpan)"/>):
/// the decision and the times the instance keeps afterwards.
/// </summary>
/// <param name="PlannedAt">Due time minus offset, as planned from the task.</param>
/// <param name="FireAt">When it fires next (or last fired): <paramref name="PlannedAt"/>, or the end of a snooze.</param>
public readonly record struct ReminderStep(ReminderDecision Decision, DateTimeOffset PlannedAt, DateTimeOffset FireAt)
{
    /// <summary>Its event is scheduled for <see cref="FireAt"/>, replacing the one it had.</summary>
    public bool Schedules => Decision is ReminderDecision.Refresh or ReminderDecision.Later or ReminderDecision.Now or ReminderDecision.Snooze;

    /// <summary>Its scheduled event, if any, is cancelled and none replaces it.</summary>
    public bool Cancels => Decision is ReminderDecision.AlreadyFired or ReminderDecision.Overdue or ReminderDecision.Stop or ReminderDecision.Discard;
}
