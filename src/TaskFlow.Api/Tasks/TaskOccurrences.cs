using TaskFlow.Components.Calendar;

namespace TaskFlow.Api.Tasks;

public static class TaskOccurrences
{
    public const int DefaultShown = 10;
    public const int MostShown = 100;

    /// <summary>Previews the series: the dates the next occurrences would fall due on, counted from the task's due date.</summary>
    public static async Task<Results<Ok<OccurrencesResponse>, NotFound, ValidationProblem>> Preview(
        Guid id, string? count, ClaimsPrincipal principal, TaskFlowDbContext db, CancellationToken cancellationToken)
    {
        // Read as text so that "count=many" is answered like "count=0", naming the field.
        var errors = new Dictionary<string, string[]>();
        var wanted = PageSize.Parse(count, DefaultShown, MostShown, errors, "count");
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var task = await db.FindOwnedAsync(id, principal.GetUserId(), cancellationToken);
        if (task is null)
            return TypedResults.NotFound();
        if (task.Recurrence is not { } rule || task.Due is not { } due)
            return TypedResults.Ok(new OccurrencesResponse(null, null, []));

        var next = RecurrenceDates.Occurrences(rule, due, due.Local, wanted)
            .Select(DueResponse.From)
            .ToList();
        return TypedResults.Ok(new OccurrencesResponse(rule, RecurrenceRule.Describe(rule), next));
    }
}
