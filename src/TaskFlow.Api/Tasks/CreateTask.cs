using MassTransit;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

public static class CreateTask
{
    public static async Task<Results<Created<TaskResponse>, ValidationProblem>> Handle(
        TaskRequest request, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish, TimeProvider clock,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var ownerId = principal.GetUserId();
        var errors = new Dictionary<string, string[]>();
        // The owner's zone, when the draft needs it, is read in the insert's transaction.
        await using var transaction = TaskQueries.NeedsOwnerTimeZone(request) ? await db.BeginWriteAsync(cancellationToken) : null;
        var draft = TaskDraft.Parse(request, await db.DraftTimeZoneAsync(request, ownerId, cancellationToken), errors);
        if (draft is null)
            return TypedResults.ValidationProblem(errors);

        var now = clock.GetUtcNowForStorage();
        var task = TaskItem.New(ownerId, draft.Title, now);
        draft.ApplyTo(task);
        await task.StartIfRepeatingAsync(draft, db, publish, now, cancellationToken);
        db.Tasks.Add(task);
        await publish.Publish(TaskEventFactory.Created(task, now), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
            await transaction.CommitAsync(cancellationToken);

        response.Headers.ETag = TaskVersion.ETag(task.Version);
        return TypedResults.Created($"/api/v1/tasks/{task.Id}", TaskResponse.From(task, now));
    }
}
