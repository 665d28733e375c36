namespace TaskFlow.Components.Reminders;

/// <summary>What <see cref="ReminderPlanner"/> planned last for a task (table reminder_plan).</summary>
public sealed class ReminderPlan
{
    public Guid TaskId { get; init; }
    public int TaskVersion { get; set; }
    public Guid[] ReminderIds { get; set; } = [];

    /// <summary>The reminders the plan of <see cref="TaskVersion"/> discarded, to discard again when its commands are sent again.</summary>
    public Guid[] DiscardedIds { get; set; } = [];
}
