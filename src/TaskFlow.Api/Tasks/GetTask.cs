namespace TaskFlow.Api.Tasks;

public static class GetTask
{
    public const string RouteName = "GetTask";

    public static async Task<Results<Ok<TaskResponse>, NotFound>> Handle(
        Guid id, ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var task = await db.FindOwnedAsync(id, principal.GetUserId(), cancellationToken);
        if (task is null)
            return TypedResults.NotFound();

        response.Headers.ETag = TaskVersion.ETag(task.Version);
        return TypedResults.Ok(TaskResponse.From(task, clock.GetUtcNow()) with
        {
            ReminderSchedule = await TaskReminders.DescribeAsync(task, db, cancellationToken),
        });
    }
}
