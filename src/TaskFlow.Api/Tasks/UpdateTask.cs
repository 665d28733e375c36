using MassTransit;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

/// <summary>
/// Replaces a task's editable fields; status changes go through complete and reopen. On an occurrence of a series
/// the fields are this occurrence's own, but a new rule, mode or lead time restarts the series from it.
/// </summary>
public static class UpdateTask
{
    public static async Task<Results<Ok<TaskResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, TaskRequest request, ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock,
        IPublishEndpoint publish, HttpContext http, CancellationToken cancellationToken)
    {
        if (!TaskVersion.TryReadExpected(http.Request, request.Version, out var expected))
            return TaskVersion.UnreadableIfMatch();

        // A series row locked on the way stays locked until the task is saved with it.
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var (task, draftTimeZone) = await db.FindOwnedForDraftAsync(id, principal.GetUserId(), request, cancellationToken);
        if (task is null)
            return TypedResults.NotFound();

        var errors = new Dictionary<string, string[]>();
        var draft = TaskDraft.Parse(request, draftTimeZone, errors);
        if (draft is null)
            return TypedResults.ValidationProblem(errors);
        if (!expected.Stated)
            return TaskVersion.Required();

        if (!expected.Admits(task.Version))
            return TaskVersion.Stale(task.Version);

        // Replacing a task with what it already holds is not a change: no new version, no event.
        var before = task.Snapshot();
        draft.ApplyTo(task);
        var taskChanged = TaskEventFactory.ChangedFields(before, task.Snapshot()).Count > 0;
        var repeatTouched = draft.Mode is not null || draft.Lead is not null || before.Recurrence != task.Recurrence;
        if (!taskChanged && !repeatTouched)
        {
            http.Response.Headers.ETag = TaskVersion.ETag(task.Version);
            return TypedResults.Ok(TaskResponse.From(task, clock.GetUtcNow()));
        }

        var now = clock.GetUtcNowForStorage();
        var seriesBefore = task.SeriesId;
        await task.ApplyRepeatAsync(draft, before.Recurrence, db, publish, now, cancellationToken);
        if (!taskChanged && task.SeriesId == seriesBefore)
        {
            // Only the series' mode or lead time changed: the task itself keeps its version.
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            http.Response.Headers.ETag = TaskVersion.ETag(task.Version);
            return TypedResults.Ok(TaskResponse.From(task, now));
        }

        var result = await task.SaveChangeAsync(() => TaskEventFactory.Updated(task, before, now), db, publish, now, http.Response, cancellationToken);
        if (result.Result is Ok<TaskResponse>)
            await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
