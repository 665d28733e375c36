namespace TaskFlow.Components.Notifications;

/// <summary>What a notification tells of; the names clients see and filter by.</summary>
public static class NotificationKinds
{
    public const string TaskCreated = "task.created";
    public const string TaskUpdated = "task.updated";
    public const string TaskCompleted = "task.completed";
    public const string TaskReopened = "task.reopened";
    public const string TaskDeleted = "task.deleted";
    public const string ReminderTriggered = "reminder.triggered";

    /// <summary>The recurrence consumer created the next occurrence of a repeating series.</summary>
    public const string OccurrenceCreated = "occurrence.created";

    /// <summary>Every kind, in the order preferences list them.</summary>
    public static readonly IReadOnlyList<string> All =
        [TaskCreated, TaskUpdated, TaskCompleted, TaskReopened, TaskDeleted, ReminderTriggered, OccurrenceCreated];
}
