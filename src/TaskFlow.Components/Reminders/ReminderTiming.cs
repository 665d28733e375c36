using TaskFlow.Contracts;

namespace TaskFlow.Components.Reminders;

/// <summary>
/// What a reminder does now with a plan, a cancel or a snooze, decided from what it did before: pure, so that
/// <see cref="ReminderStateMachine"/> only applies the step (its times, its scheduled event, its state).
/// </summary>
public static class ReminderTiming
{
    public static ReminderStep Decide(ReminderState reminder, ScheduleReminder plan, DateTimeOffset now, TimeSpan refreshHorizon)
    {
        var plannedAt = plan.FireAt;
        var waiting = reminder.CurrentState == nameof(ReminderStateMachine.Waiting);
        var following = waiting || reminder.CurrentState == nameof(ReminderStateMachine.Fired);
        if (following && reminder.PlannedAt == plannedAt)
        {
            // The time stays, a snooze's end included.
            var refresh = waiting && reminder.FireAt - now > refreshHorizon;
            return new(refresh ? ReminderDecision.Refresh : ReminderDecision.Keep, reminder.PlannedAt, reminder.FireAt);
        }

        var decision = reminder.FiredFor == plannedAt ? ReminderDecision.AlreadyFired
            : plannedAt > now ? ReminderDecision.Later
            : plan.Due.At > now ? ReminderDecision.Now
            : ReminderDecision.Overdue;
        return new(decision, plannedAt, plannedAt);
    }

    public static ReminderStep Decide(ReminderState reminder, CancelReminder cancel) =>
        new(cancel.Discard ? ReminderDecision.Discard : ReminderDecision.Stop, reminder.PlannedAt, reminder.FireAt);

    public static ReminderStep Decide(ReminderState reminder, SnoozeReminder snooze) =>
        new(ReminderDecision.Snooze, reminder.PlannedAt, snooze.Until);
}
