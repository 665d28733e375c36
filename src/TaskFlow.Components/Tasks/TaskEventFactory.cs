using TaskFlow.Components.Recurrence;
using TaskFlow.Components.Calendar;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Tasks;

/// <summary>Turns a task, as saved, into the integration events published with the change.</summary>
public static class TaskEventFactory
{
    public static TaskSnapshot Snapshot(this TaskItem task) => new(
        task.Title,
        task.Description,
        task.Priority.ToString().ToLowerInvariant(),
        task.Tags.ToArray(),
        task.Status == TaskItemStatus.Completed ? "completed" : "open",
        task.Due is { } due ? new DueSnapshot(due.DateTimeText ?? $"{due.DateText}T00:00:00", due.AllDay, due.TimeZone, due.At) : null,
        task.ReminderOffsets.Select(ReminderOffsets.Format).ToArray(),
        task.Recurrence,
        task.CompletedAt,
        task.SeriesId);

    public static TaskCreated Created(TaskItem task, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), task.Id, task.OwnerId, task.Version, now, task.Snapshot());

    /// <summary>A later occurrence of a series, created by the recurrence consumer rather than by its owner.</summary>
    public static TaskCreated OccurrenceCreated(TaskItem task, DateTimeOffset now) => Created(task, now) with { NextOccurrence = true };

    public static TaskUpdated Updated(TaskItem task, TaskSnapshot before, DateTimeOffset now)
    {
        var after = task.Snapshot();
        return new(Guid.CreateVersion7(now), task.Id, task.OwnerId, task.Version, now, ChangedFields(before, after), after);
    }

    public static TaskCompleted Completed(TaskItem task, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), task.Id, task.OwnerId, task.Version, now, task.Snapshot());

    public static TaskReopened Reopened(TaskItem task, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), task.Id, task.OwnerId, task.Version, now, task.Snapshot());

    /// <summary>The version is the one the task had when it was deleted, plus one: deleting is its last change.</summary>
    public static TaskDeleted Deleted(TaskItem task, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), task.Id, task.OwnerId, task.Version + 1, now, task.Title);

    /// <summary>The series as it stands after <paramref name="change"/> (started, edited, skipped or stopped).</summary>
    public static TaskSeriesChanged SeriesChanged(TaskSeries series, string change, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), series.Id, series.OwnerId, series.Version, now, change);

    /// <summary>The API names of the fields that differ; lists are compared by content.</summary>
    public static IReadOnlyList<string> ChangedFields(TaskSnapshot before, TaskSnapshot after)
    {
        var changed = new List<string>();
        if (before.Title != after.Title) changed.Add("title");
        if (before.Description != after.Description) changed.Add("description");
        if (before.Priority != after.Priority) changed.Add("priority");
        if (!before.Tags.SequenceEqual(after.Tags)) changed.Add("tags");
        if (before.Due != after.Due) changed.Add("due");
        if (!before.Reminders.SequenceEqual(after.Reminders)) changed.Add("reminders");
        if (before.Recurrence != after.Recurrence) changed.Add("recurrence");
        if (before.Status != after.Status) changed.Add("status");
        return changed;
    }
}
