using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Data;

namespace TaskFlow.Components.Recurrence;

/// <summary>The recurrence feature's own SQL, all of it: EF Core has no way to say FOR UPDATE.</summary>
public static class SeriesQueries
{
    /// <summary>Reads a series for changing it, holding its row until the transaction ends: every writer of a series
    /// (the API and each worker) takes this lock first, so their decisions never interleave.</summary>
    public static Task<TaskSeries?> LockSeriesAsync(this TaskFlowDbContext db, Guid seriesId, CancellationToken cancellationToken) =>
        db.Series
            .FromSqlInterpolated($"SELECT * FROM task_series WHERE id = {seriesId} FOR UPDATE")
            .AsTracking()
            .SingleOrDefaultAsync(cancellationToken);
}
