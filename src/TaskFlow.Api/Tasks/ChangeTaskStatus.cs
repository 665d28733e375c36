using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskFlow.Api.Infrastructure;
using TaskFlow.Components.Data;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

/// <summary>Complete and reopen. Both are idempotent: repeating one changes nothing and keeps the version.</summary>
public static class ChangeTaskStatus
{
    public static Task<Results<Ok<TaskResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Complete(
        Guid id, ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        Change(id, TaskItemStatus.Completed, principal, db, clock, http, cancellationToken);

    public static Task<Results<Ok<TaskResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Reopen(
        Guid id, ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        Change(id, TaskItemStatus.Open, principal, db, clock, http, cancellationToken);

    private static async Task<Results<Ok<TaskResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Change(
        Guid id, TaskItemStatus status, ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (!TaskVersion.TryReadExpected(http.Request, bodyVersion: null, out var expected))
            return TaskVersion.UnreadableIfMatch();

        var task = await db.FindOwnedAsync(id, principal.GetUserId(), cancellationToken);
        if (task is null)
            return TypedResults.NotFound();

        var now = clock.GetUtcNowForStorage();
        if (task.Status == status)
        {
            if (expected is { } stated && stated != task.Version)
                return TaskVersion.Stale(task.Version);
            http.Response.Headers.ETag = TaskVersion.ETag(task.Version);
            return TypedResults.Ok(TaskResponse.From(task, now));
        }

        return await task.SaveChangeAsync(
            () =>
            {
                task.Status = status;
                task.CompletedAt = status == TaskItemStatus.Completed ? now : null;
            },
            db, expected, now, http.Response, cancellationToken);
    }
}
