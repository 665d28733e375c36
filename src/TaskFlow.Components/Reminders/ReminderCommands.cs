using TaskFlow.Components.Calendar;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Reminders;

/// <summary>What <see cref="ReminderPlanner"/> tells the <see cref="ReminderStateMachine"/> about a task change.</summary>
internal static class ReminderCommands
{
    /// <summary>A discard for each reminder the plan dropped, and for each one the task has, a plan or (completed) a stop.</summary>
    public static IEnumerable<object> For(TaskChange change, Guid[] discarded, IReadOnlyList<(Guid Id, string Offset, DateTimeOffset FireAt)> wanted)
    {
        foreach (var gone in discarded)
            yield return new CancelReminder(gone, change.TaskId, change.Version, Discard: true);
        foreach (var (id, offset, fireAt) in wanted)
        {
            yield return change.Task!.Status == "completed"
                ? new CancelReminder(id, change.TaskId, change.Version, Discard: false)
                : new ScheduleReminder(id, change.TaskId, change.OwnerId, change.Version, change.Task.Title, change.Task.Due!, offset, fireAt);
        }
    }

    /// <summary>The reminders a task has: one per distinct offset, and none without a due date.</summary>
    public static IReadOnlyList<(Guid Id, string Offset, DateTimeOffset FireAt)> Wanted(Guid taskId, TaskSnapshot? task)
    {
        if (task?.Due is not { } due)
            return [];
        return task.Reminders
            .Distinct()
            .Select(offset => (ReminderIds.For(taskId, offset), offset,
                ReminderOffsets.TryParse(offset, out var span, out _) ? ReminderOffsets.Before(due.At, span) : due.At))
            .ToList();
    }
}
