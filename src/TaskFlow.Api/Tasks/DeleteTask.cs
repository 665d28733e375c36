using MassTransit;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

public static class DeleteTask
{
    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish, TimeProvider clock, HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!TaskVersion.TryReadExpected(request, bodyVersion: null, out var expected))
            return TaskVersion.UnreadableIfMatch();

        // A series row locked on the way stays locked until the task is deleted.
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var (task, stale) = await db.FindOwnedAtAsync(id, principal.GetUserId(), expected, cancellationToken);
        if (task is null)
            return stale is { } version ? TaskVersion.Stale(version) : TypedResults.NotFound();

        var now = clock.GetUtcNowForStorage();
        await task.EndSeriesIfLastToCompleteAsync(db, publish, now, cancellationToken);
        db.Tasks.Remove(task);
        await publish.Publish(TaskEventFactory.Deleted(task, now), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Changed or deleted between our read and our delete.
            var current = await db.CurrentVersionAsync(id, cancellationToken);
            return current is { } version ? TaskVersion.Stale(version) : TypedResults.NotFound();
        }
        return TypedResults.NoContent();
    }
}
