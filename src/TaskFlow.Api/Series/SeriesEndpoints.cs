using System.Security.Claims;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Api.Infrastructure;
using TaskFlow.Api.Tasks;
using TaskFlow.Components.Data;
using TaskFlow.Components.Recurrence;
using TaskFlow.Components.Tasks;
using SeriesResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<TaskFlow.Api.Series.SeriesResponse>,
    Microsoft.AspNetCore.Http.HttpResults.NotFound,
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
using Transaction = Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction;

namespace TaskFlow.Api.Series;

/// <summary>
/// The series a repeating task belongs to, reached through any of its occurrences. Its ETag is the series' version.
/// Every change locks the series row, as the recurrence consumer does, and publishes <c>TaskSeriesChanged</c> with it.
/// </summary>
public static class SeriesEndpoints
{
    public static IEndpointRouteBuilder MapSeries(this IEndpointRouteBuilder endpoints)
    {
        var series = endpoints.MapGroup("/api/v1/tasks/{id:guid}/series").WithTags("Series").RequireAuthorization();

        series.MapGet("/", Get).WithSummary("Read the series a repeating task belongs to");
        series.MapPut("/", Edit)
            .WithSummary("Change the series from its start date on: rule, mode, lead time and what future occurrences copy; If-Match names the series version")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        series.MapPost("/skip", Skip).WithSummary("Skip the next occurrence not yet created (by schedule)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        series.MapPost("/stop", Stop).WithSummary("Stop the series: no further occurrences; those that exist stay")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return endpoints;
    }

    public static async Task<Results<Ok<SeriesResponse>, NotFound, ProblemHttpResult>> Get(
        Guid id, ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var task = await db.FindOwnedAsync(id, principal.GetUserId(), cancellationToken);
        if (task is null)
            return TypedResults.NotFound();
        var series = task.SeriesId is { } seriesId ? await db.Series.SingleOrDefaultAsync(s => s.Id == seriesId, cancellationToken) : null;
        if (series is null)
            return NotRepeating();

        response.Headers.ETag = TaskVersion.ETag(series.Version);
        return TypedResults.Ok(SeriesResponse.From(series, clock.GetUtcNow()));
    }

    /// <summary>
    /// Replaces the series' rule and template. The body is a task: its due date is where the rule starts from, and
    /// dates after the occurrences that exist follow it. Open occurrences not yet due take the new fields; their dates stay.
    /// </summary>
    public static async Task<SeriesResult> Edit(
        Guid id, TaskRequest request, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish, TimeProvider clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (!TaskVersion.TryReadExpected(http.Request, request.Version, out var expected))
            return TaskVersion.UnreadableIfMatch();
        var ownerId = principal.GetUserId();
        var task = await db.FindOwnedAsync(id, ownerId, cancellationToken);
        if (task is null)
            return TypedResults.NotFound();
        if (task.SeriesId is not { } seriesId)
            return NotRepeating();

        var errors = new Dictionary<string, string[]>();
        var draft = TaskDraft.Parse(request, await db.DraftTimeZoneAsync(request, ownerId, cancellationToken), errors);
        if (draft is not null && draft.Recurrence is null)
            errors["recurrence"] = ["A series needs its rule; to end it, stop it."];
        if (draft is null || errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        if (!expected.Stated)
            return TaskVersion.Required();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var series = await db.LockSeriesAsync(seriesId, cancellationToken);
        if (series is null)
            return NotRepeating();
        if (!expected.Admits(series.Version))
            return TaskVersion.Stale(series.Version);
        if (series.Status == SeriesStatus.Stopped)
            return Conflict("The series is stopped.", "Give the task a recurrence again to start a new series from it.");

        var now = clock.GetUtcNowForStorage();
        series.Title = draft.Title;
        series.Description = draft.Description;
        series.Priority = draft.Priority;
        series.Tags = [.. draft.Tags];
        series.ReminderOffsets = [.. draft.Reminders];
        series.Rule = draft.Recurrence!;
        series.Mode = draft.Mode ?? series.Mode;
        series.LeadTime = draft.Lead ?? series.LeadTime;
        series.RestartAt(draft.Due!, filled: false);
        series.Status = SeriesStatus.Active;

        var future = await db.Tasks
            .Where(t => t.SeriesId == seriesId && t.Status == TaskItemStatus.Open && t.DueAt > now)
            .ToListAsync(cancellationToken);
        foreach (var occurrence in future)
        {
            var before = occurrence.Snapshot();
            series.CopyTo(occurrence);
            if (TaskEventFactory.ChangedFields(before, occurrence.Snapshot()).Count == 0)
                continue;
            occurrence.Version++;
            occurrence.UpdatedAt = now;
            await publish.Publish(TaskEventFactory.Updated(occurrence, before, now), cancellationToken);
        }

        await series.RecordChangeAsync("edited", publish, now, cancellationToken);
        return await CommitAsync(series, transaction, db, now, http.Response, cancellationToken);
    }

    /// <summary>Passes over the next date of the rule that has no occurrence yet; one already created is a task like any other.</summary>
    public static async Task<SeriesResult> Skip(
        Guid id, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        var (series, transaction, problem) = await LockAsync(id, principal, http.Request, db, cancellationToken);
        if (series is null)
            return problem!;
        await using var _ = transaction;

        if (series.Status != SeriesStatus.Active)
            return Conflict($"The series is {series.Status.ToString().ToLowerInvariant()}: nothing is coming to skip.");
        if (series.Mode == RecurrenceMode.Completion)
            return Conflict("This series repeats from completion: its next occurrence is only made when the current one is completed.",
                "Complete, reschedule or delete the current occurrence instead.");

        var now = clock.GetUtcNowForStorage();
        if (SeriesSchedule.NextBySchedule(series, series.LastSlot, now) is not { } skipped)
            return Conflict("The series has no further date to skip.");
        series.LastSlot = skipped.Local.ToDateTimeUnspecified();
        await series.RecordChangeAsync("skipped", publish, now, cancellationToken);
        var result = await CommitAsync(series, transaction!, db, now, http.Response, cancellationToken);
        return result.Result is Ok<SeriesResponse> ok
            ? TypedResults.Ok(ok.Value! with { Skipped = DueResponse.From(skipped) })
            : result;
    }

    /// <summary>Stops the series for good; stopping a stopped series changes nothing.</summary>
    public static async Task<SeriesResult> Stop(
        Guid id, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        var (series, transaction, problem) = await LockAsync(id, principal, http.Request, db, cancellationToken);
        if (series is null)
            return problem!;
        await using var _ = transaction;

        var now = clock.GetUtcNowForStorage();
        if (series.Status != SeriesStatus.Stopped)
        {
            series.Status = SeriesStatus.Stopped;
            await series.RecordChangeAsync("stopped", publish, now, cancellationToken);
        }
        return await CommitAsync(series, transaction!, db, now, http.Response, cancellationToken);
    }

    /// <summary>The series of one of the caller's tasks, locked in a new transaction, if the If-Match it names is current.</summary>
    private static async Task<(TaskSeries? Series, Transaction? Transaction, SeriesResult? Problem)> LockAsync(
        Guid taskId, ClaimsPrincipal principal, HttpRequest request, TaskFlowDbContext db, CancellationToken cancellationToken)
    {
        if (!TaskVersion.TryReadExpected(request, bodyVersion: null, out var expected))
            return (null, null, TaskVersion.UnreadableIfMatch());
        var task = await db.FindOwnedAsync(taskId, principal.GetUserId(), cancellationToken);
        if (task is null)
            return (null, null, (SeriesResult)TypedResults.NotFound());
        if (task.SeriesId is not { } seriesId)
            return (null, null, (SeriesResult)NotRepeating());

        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var series = await db.LockSeriesAsync(seriesId, cancellationToken);
        if (series is not null && expected.Admits(series.Version))
            return (series, transaction, null);
        await transaction.DisposeAsync();
        return (null, null, (SeriesResult)(series is null ? NotRepeating() : TaskVersion.Stale(series.Version)));
    }

    private static async Task<SeriesResult> CommitAsync(
        TaskSeries series, Transaction transaction, TaskFlowDbContext db,
        DateTimeOffset now, HttpResponse response, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        response.Headers.ETag = TaskVersion.ETag(series.Version);
        return TypedResults.Ok(SeriesResponse.From(series, now));
    }

    private static ProblemHttpResult NotRepeating() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "The task does not repeat.",
        detail: "Give it a recurrence to start a series from it.");

    private static ProblemHttpResult Conflict(string title, string? detail = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
