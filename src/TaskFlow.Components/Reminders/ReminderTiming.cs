namespace TaskFlow.Components.Reminders;

/// <summary>What a reminder does with a new plan.</summary>
public enum ReminderDecision
{
    /// <summary>Same fire time as the plan it is already following (a title change, a repeat): the time stays.</summary>
    Keep,

    /// <summary>Its time is ahead: schedule it.</summary>
    Later,

    /// <summary>Its time has passed but the task is not due yet: fire at once (scheduled for now).</summary>
    Now,

    /// <summary>It already fired for this time (e.g. the task was completed, then reopened).</summary>
    AlreadyFired,

    /// <summary>The task is already overdue: a reminder before the due time makes no sense any more.</summary>
    Overdue,
}

public static class ReminderTiming
{
    /// <param name="following">Whether the reminder is live (scheduled or fired) on <paramref name="previousPlannedAt"/>.</param>
    public static ReminderDecision Decide(
        DateTimeOffset plannedAt, DateTimeOffset dueAt, bool following, DateTimeOffset? previousPlannedAt, DateTimeOffset? firedFor, DateTimeOffset now)
    {
        if (following && previousPlannedAt == plannedAt)
            return ReminderDecision.Keep;
        if (firedFor == plannedAt)
            return ReminderDecision.AlreadyFired;
        if (plannedAt > now)
            return ReminderDecision.Later;
        return dueAt > now ? ReminderDecision.Now : ReminderDecision.Overdue;
    }
}
