using MassTransit;
using TaskFlow.Api.Tasks;
using TaskFlow.Components.Recurrence;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Series;

public static class EditSeries
{
    /// <summary>
    /// Replaces the series' rule and template. The body is a task: its due date is where the rule starts from, and
    /// dates after the occurrences that exist follow it. Open occurrences not yet due take the new fields; their dates stay.
    /// </summary>
    public static async Task<SeriesResult> Handle(
        Guid id, TaskRequest request, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish, TimeProvider clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (!TaskVersion.TryReadExpected(http.Request, request.Version, out var expected))
            return TaskVersion.UnreadableIfMatch();
        var ownerId = principal.GetUserId();
        var task = await db.FindOwnedAsync(id, ownerId, cancellationToken);
        if (task is null)
            return TypedResults.NotFound();
        if (task.SeriesId is not { } seriesId)
            return SeriesLock.NotRepeating();

        var errors = new Dictionary<string, string[]>();
        var draft = TaskDraft.Parse(request, await db.DraftTimeZoneAsync(request, ownerId, cancellationToken), errors);
        if (draft is not null && draft.Recurrence is null)
            errors["recurrence"] = ["A series needs its rule; to end it, stop it."];
        if (draft is null || errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        if (!expected.Stated)
            return TaskVersion.Required();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var series = await db.LockSeriesAsync(seriesId, cancellationToken);
        if (series is null)
            return SeriesLock.NotRepeating();
        if (!expected.Admits(series.Version))
            return TaskVersion.Stale(series.Version);
        if (series.Status == SeriesStatus.Stopped)
            return SeriesLock.Conflict("The series is stopped.", "Give the task a recurrence again to start a new series from it.");

        var now = clock.GetUtcNowForStorage();
        series.Title = draft.Title;
        series.Description = draft.Description;
        series.Priority = draft.Priority;
        series.Tags = [.. draft.Tags];
        series.ReminderOffsets = [.. draft.Reminders];
        series.Rule = draft.Recurrence!;
        series.Mode = draft.Mode ?? series.Mode;
        series.LeadTime = draft.Lead ?? series.LeadTime;
        series.RestartAt(draft.Due!, filled: false);
        series.Status = SeriesStatus.Active;

        var future = await db.Tasks
            .Where(t => t.SeriesId == seriesId && t.Status == TaskItemStatus.Open && t.DueAt > now)
            .ToListAsync(cancellationToken);
        foreach (var occurrence in future)
        {
            var before = occurrence.Snapshot();
            series.CopyTo(occurrence);
            if (TaskEventFactory.ChangedFields(before, occurrence.Snapshot()).Count == 0)
                continue;
            occurrence.Version++;
            occurrence.UpdatedAt = now;
            await publish.Publish(TaskEventFactory.Updated(occurrence, before, now), cancellationToken);
        }

        await series.RecordChangeAsync("edited", publish, now, cancellationToken);
        return await SeriesLock.CommitAsync(series, transaction, db, now, http.Response, cancellationToken);
    }
}
