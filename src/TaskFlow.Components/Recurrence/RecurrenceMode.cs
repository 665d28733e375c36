namespace TaskFlow.Components.Recurrence;

public enum RecurrenceMode
{
    /// <summary>Like a calendar: each occurrence appears before its due whether or not the previous one was done.</summary>
    Schedule,

    /// <summary>The next occurrence is due an interval after the current one is completed.</summary>
    Completion,
}
