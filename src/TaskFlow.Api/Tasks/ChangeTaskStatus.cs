using MassTransit;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

/// <summary>Complete and reopen. Both are idempotent: repeating one changes nothing and keeps the version.</summary>
public static class ChangeTaskStatus
{
    public static Task<Results<Ok<TaskResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Complete(
        Guid id, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        Change(id, TaskItemStatus.Completed, principal, db, publish, clock, http, cancellationToken);

    public static Task<Results<Ok<TaskResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Reopen(
        Guid id, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        Change(id, TaskItemStatus.Open, principal, db, publish, clock, http, cancellationToken);

    private static async Task<Results<Ok<TaskResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Change(
        Guid id, TaskItemStatus status, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish, TimeProvider clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (!TaskVersion.TryReadExpected(http.Request, bodyVersion: null, out var expected))
            return TaskVersion.UnreadableIfMatch();

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var (task, stale) = await db.FindOwnedAtAsync(id, principal.GetUserId(), expected, cancellationToken);
        if (task is null)
            return stale is { } version ? TaskVersion.Stale(version) : TypedResults.NotFound();
        if (task.Status == status)
        {
            http.Response.Headers.ETag = TaskVersion.ETag(task.Version);
            return TypedResults.Ok(TaskResponse.From(task, clock.GetUtcNow()));
        }

        var now = clock.GetUtcNowForStorage();
        task.Status = status;
        task.CompletedAt = status == TaskItemStatus.Completed ? now : null;
        var result = await task.SaveChangeAsync(
            () => status == TaskItemStatus.Completed ? TaskEventFactory.Completed(task, now) : TaskEventFactory.Reopened(task, now),
            db, publish, now, http.Response, cancellationToken);
        if (result.Result is Ok<TaskResponse>)
            await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
