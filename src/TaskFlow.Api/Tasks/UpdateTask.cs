using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskFlow.Api.Infrastructure;
using TaskFlow.Components.Data;

namespace TaskFlow.Api.Tasks;

/// <summary>Replaces a task's editable fields; status changes go through complete and reopen.</summary>
public static class UpdateTask
{
    public static async Task<Results<Ok<TaskResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, TaskRequest request, ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (!TaskVersion.TryReadExpected(http.Request, request.Version, out var expected))
            return TaskVersion.UnreadableIfMatch();

        var ownerId = principal.GetUserId();
        var task = await db.FindOwnedAsync(id, ownerId, cancellationToken);
        if (task is null)
            return TypedResults.NotFound();

        var errors = new Dictionary<string, string[]>();
        var draft = TaskDraft.Parse(request, await db.OwnerTimeZoneAsync(ownerId, cancellationToken), errors);
        if (draft is null)
            return TypedResults.ValidationProblem(errors);
        if (expected is null && http.Request.Headers.IfMatch.Count == 0)
            return TaskVersion.Required();

        var now = clock.GetUtcNowForStorage();
        return await task.SaveChangeAsync(() => draft.ApplyTo(task), db, expected, now, http.Response, cancellationToken);
    }
}
