using MassTransit;
using TaskFlow.Components.Recurrence;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

/// <summary>What writing a task does to the series it starts or belongs to.</summary>
internal static class SeriesWrites
{
    /// <summary>A task created with a recurrence is the first occurrence of a new series.</summary>
    public static async Task StartIfRepeatingAsync(
        this TaskItem task, TaskDraft draft, TaskFlowDbContext db, IPublishEndpoint publish, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (task.Recurrence is null)
            return;
        var series = TaskSeries.StartAt(task, draft.Mode ?? RecurrenceMode.Schedule, draft.Lead ?? TaskDraft.DefaultLead, now);
        db.Series.Add(series);
        await publish.Publish(TaskEventFactory.SeriesChanged(series, "started", now), cancellationToken);
    }

    /// <summary>
    /// After <paramref name="draft"/> replaced a task's fields (its own occurrence only), carries a change of its
    /// repeat over to its series: a new rule, mode or lead time restarts the series from this task, and no rule stops
    /// it. A rule on a task without a running series starts one. A mode or lead time left out keeps the series' own.
    /// The caller holds a transaction, so the series stays locked until the task is saved.
    /// </summary>
    public static async Task ApplyRepeatAsync(
        this TaskItem task, TaskDraft draft, string? previousRecurrence, TaskFlowDbContext db, IPublishEndpoint publish,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var series = task.SeriesId is { } id ? await db.LockSeriesAsync(id, cancellationToken) : null;
        if (series is not { Status: SeriesStatus.Active })
        {
            var unchanged = series is not null && previousRecurrence == task.Recurrence && draft.Mode is null && draft.Lead is null;
            if (task.Recurrence is null || unchanged)
                return;
            task.SeriesId = null;
            task.SeriesSlot = null;
            await task.StartIfRepeatingAsync(draft, db, publish, now, cancellationToken);
            return;
        }

        string change;
        var mode = draft.Mode ?? series.Mode;
        var lead = draft.Lead ?? series.LeadTime;
        if (task.Recurrence is null)
        {
            series.Status = SeriesStatus.Stopped;
            change = "stopped";
        }
        else if (series.Rule != task.Recurrence || series.Mode != mode || series.LeadTime != lead)
        {
            series.Rule = task.Recurrence;
            series.Mode = mode;
            series.LeadTime = lead;
            series.RestartAt(task.Due!, filled: true);
            change = "edited";
        }
        else
        {
            return;
        }

        await series.RecordChangeAsync(change, publish, now, cancellationToken);
    }

    /// <summary>
    /// A series repeated from completion moves on only when its latest occurrence is completed; deleting that
    /// occurrence instead leaves nothing to complete, so the series stops with it. (By schedule, deleting an
    /// occurrence just removes that date.)
    /// </summary>
    public static async Task EndSeriesIfLastToCompleteAsync(
        this TaskItem task, TaskFlowDbContext db, IPublishEndpoint publish, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (task.SeriesId is not { } id)
            return;
        var series = await db.LockSeriesAsync(id, cancellationToken);
        if (series is not { Status: SeriesStatus.Active, Mode: RecurrenceMode.Completion } || series.LastSlot != task.SeriesSlot)
            return;
        series.Status = SeriesStatus.Stopped;
        await series.RecordChangeAsync("stopped", publish, now, cancellationToken);
    }

    /// <summary>Counts a change of the series and publishes it with the change being saved.</summary>
    public static Task RecordChangeAsync(this TaskSeries series, string change, IPublishEndpoint publish, DateTimeOffset now, CancellationToken cancellationToken)
    {
        series.Version++;
        series.UpdatedAt = now;
        return publish.Publish(TaskEventFactory.SeriesChanged(series, change, now), cancellationToken);
    }
}
