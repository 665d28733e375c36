using MassTransit;
using TaskFlow.Api.Tasks;
using TaskFlow.Components.Calendar;
using TaskFlow.Components.Recurrence;

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
        series.MapPut("/", EditSeries.Handle)
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
            return SeriesLock.NotRepeating();

        response.Headers.ETag = TaskVersion.ETag(series.Version);
        return TypedResults.Ok(SeriesResponse.From(series, clock.GetUtcNow()));
    }

    /// <summary>Passes over the next date of the rule that has no occurrence yet; one already created is a task like any other.</summary>
    public static async Task<SeriesResult> Skip(
        Guid id, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        DueDate? skipped = null;
        var result = await SeriesLock.ChangeAsync(id, principal, db, clock, http, async (series, now) =>
        {
            if (series.Status != SeriesStatus.Active)
                return SeriesLock.Conflict($"The series is {series.Status.ToString().ToLowerInvariant()}: nothing is coming to skip.");
            if (series.Mode == RecurrenceMode.Completion)
                return SeriesLock.Conflict("This series repeats from completion: its next occurrence is only made when the current one is completed.",
                    "Complete, reschedule or delete the current occurrence instead.");
            skipped = SeriesSchedule.NextBySchedule(series, series.LastSlot, now);
            if (skipped is null)
                return SeriesLock.Conflict("The series has no further date to skip.");
            series.LastSlot = skipped.Local.ToDateTimeUnspecified();
            await series.RecordChangeAsync("skipped", publish, now, cancellationToken);
            return null;
        }, cancellationToken);
        return result.Result is Ok<SeriesResponse> ok && skipped is not null
            ? TypedResults.Ok(ok.Value! with { Skipped = DueResponse.From(skipped) })
            : result;
    }

    /// <summary>Stops the series for good; stopping a stopped series changes nothing.</summary>
    public static Task<SeriesResult> Stop(
        Guid id, ClaimsPrincipal principal, TaskFlowDbContext db, IPublishEndpoint publish, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        SeriesLock.ChangeAsync(id, principal, db, clock, http, async (series, now) =>
        {
            if (series.Status != SeriesStatus.Stopped)
            {
                series.Status = SeriesStatus.Stopped;
                await series.RecordChangeAsync("stopped", publish, now, cancellationToken);
            }
            return null;
        }, cancellationToken);
}
