using MassTransit;
using NodaTime;
using TaskFlow.Api.Tasks.QuickAdd;
using TaskFlow.Components.Calendar;

namespace TaskFlow.Api.Tasks;

/// <summary>
/// Creates a task from one line of text, through <see cref="CreateTask"/> so that it is checked, stored, announced
/// and audited as any other. A dry run answers what would be created and stores nothing. Every refusal names
/// "text", the one field the caller wrote, and a dry run refuses exactly what a create would.
/// </summary>
public static class QuickAddTask
{
    public static async Task<Results<Created<TaskResponse>, Ok<QuickAddPreview>, ValidationProblem>> Handle(
        QuickAddRequest request, string? dryRun, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish,
        TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var preview = ListQuery.ParseBool(dryRun, "dryRun", errors) ?? false;
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var zone = TimeZones.Find(await db.OwnerTimeZoneAsync(principal.GetUserId(), cancellationToken)) ?? DateTimeZone.Utc;
        var parsed = QuickAddParser.Parse(request.Text, zone, Instant.FromDateTimeOffset(clock.GetUtcNow()), out var error);
        if (parsed is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [error] });

        if (preview)
        {
            var draft = TaskDraft.Parse(parsed.Request, zone.Id, errors);
            return draft is null
                ? AsText(errors)
                : TypedResults.Ok(new QuickAddPreview(draft.Title, parsed.Request, parsed.Understood, parsed.Due is { } due ? DueResponse.From(due) : null));
        }

        var created = await CreateTask.Handle(parsed.Request, principal, db, publish, clock, response, cancellationToken);
        return created.Result switch
        {
            Created<TaskResponse> task => task,
            ValidationProblem refused => AsText(refused.ProblemDetails.Errors),
            var other => throw new InvalidOperationException($"CreateTask answered {other.GetType().Name}."),
        };
    }

    /// <summary>A rule the task refuses, named after the field of the task it concerns, under "text".</summary>
    private static ValidationProblem AsText(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["text"] = errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")).ToArray(),
        });
}
