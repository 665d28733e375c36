using TaskFlow.Contracts;

namespace TaskFlow.Components.Reminders;

/// <summary>A task event as <see cref="ReminderPlanner"/> plans from it; <see cref="Task"/> is null once the task is deleted.</summary>
internal sealed record TaskChange(Guid TaskId, Guid OwnerId, int Version, TaskSnapshot? Task)
{
    public static TaskChange Of(ITaskEvent e, TaskSnapshot? task) => new(e.TaskId, e.OwnerId, e.Version, task);
}
