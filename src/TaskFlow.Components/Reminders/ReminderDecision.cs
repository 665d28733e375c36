namespace TaskFlow.Components.Reminders;

/// <summary>What a reminder does now, with a plan, a cancel or a snooze.</summary>
public enum ReminderDecision
{
    /// <summary>Same fire time as the plan it is already following (a title change, a repeat): nothing to change.</summary>
    Keep,

    /// <summary>
    /// Same fire time, but the plan may change what the event says (a new title): the scheduled event is replaced, as
    /// it is still far enough ahead that replacing it cannot send it twice.
    /// </summary>
    Refresh,

    /// <summary>Its time is ahead: schedule it.</summary>
    Later,

    /// <summary>Its time has passed but the task is not due yet: fire at once (scheduled for now).</summary>
    Now,

    /// <summary>It already fired for this time (e.g. the task was completed, then reopened).</summary>
    AlreadyFired,

    /// <summary>The task is already overdue: a reminder before the due time makes no sense any more.</summary>
    Overdue,

    /// <summary>The task was completed: its event is cancelled; reopening the task may plan it again.</summary>
    Stop,

    /// <summary>The reminder or its task is gone: its event is cancelled, and the instance removed a while later.</summary>
    Discard,

    /// <summary>The user snoozed it: it fires again at the end of the snooze.</summary>
    Snooze,
}
