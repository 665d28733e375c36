using Microsoft.EntityFrameworkCore.Storage;
using TaskFlow.Api.Tasks;
using TaskFlow.Components.Recurrence;

namespace TaskFlow.Api.Series;

/// <summary>
/// How a change to a series is made: its row locked in a transaction, as the recurrence consumer locks it, the change
/// applied, and the series answered with its new version as ETag.
/// </summary>
internal static class SeriesLock
{
    /// <summary>
    /// Locks the series of one of the caller's tasks in a new transaction, if the If-Match it names is current, applies
    /// <paramref name="change"/> at the time it is made and commits; a change that answers a problem commits nothing.
    /// </summary>
    public static async Task<SeriesResult> ChangeAsync(
        Guid taskId, ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock, HttpContext http,
        Func<TaskSeries, DateTimeOffset, Task<ProblemHttpResult?>> change, CancellationToken cancellationToken)
    {
        if (!TaskVersion.TryReadExpected(http.Request, bodyVersion: null, out var expected))
            return TaskVersion.UnreadableIfMatch();
        var task = await db.FindOwnedAsync(taskId, principal.GetUserId(), cancellationToken);
        if (task is null)
            return TypedResults.NotFound();
        if (task.SeriesId is not { } seriesId)
            return NotRepeating();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var series = await db.LockSeriesAsync(seriesId, cancellationToken);
        if (series is null)
            return NotRepeating();
        if (!expected.Admits(series.Version))
            return TaskVersion.Stale(series.Version);

        var now = clock.GetUtcNowForStorage();
        if (await change(series, now) is { } refused)
            return refused;
        return await CommitAsync(series, transaction, db, now, http.Response, cancellationToken);
    }

    public static async Task<SeriesResult> CommitAsync(
        TaskSeries series, IDbContextTransaction transaction, TaskFlowDbContext db,
        DateTimeOffset now, HttpResponse response, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        response.Headers.ETag = TaskVersion.ETag(series.Version);
        return TypedResults.Ok(SeriesResponse.From(series, now));
    }

    public static ProblemHttpResult NotRepeating() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "The task does not repeat.",
        detail: "Give it a recurrence to start a series from it.");

    public static ProblemHttpResult Conflict(string title, string? detail = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
