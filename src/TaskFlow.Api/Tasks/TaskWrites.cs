using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Data;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

internal static class TaskWrites
{
    /// <summary>
    /// Applies <paramref name="change"/> as the next version. The version column is a concurrency token,
    /// so a write that raced ours between read and save is caught by the database, not only by the check here.
    /// </summary>
    public static async Task<Results<Ok<TaskResponse>, NotFound, ValidationProblem, ProblemHttpResult>> SaveChangeAsync(
        this TaskItem task, Action change, TaskFlowDbContext db, int? expectedVersion, DateTimeOffset now, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (expectedVersion is { } expected && expected != task.Version)
            return TaskVersion.Stale(task.Version);

        change();
        task.Version++;
        task.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.CurrentVersionAsync(task.Id, cancellationToken);
            return current is { } version ? TaskVersion.Stale(version) : TypedResults.NotFound();
        }

        response.Headers.ETag = TaskVersion.ETag(task.Version);
        return TypedResults.Ok(TaskResponse.From(task, now));
    }
}
