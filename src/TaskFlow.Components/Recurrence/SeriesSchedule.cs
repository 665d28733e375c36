using NodaTime;
using TaskFlow.Components.Calendar;

namespace TaskFlow.Components.Recurrence;

/// <summary>Which slot of a series comes next, for both ways a series can repeat.</summary>
public static class SeriesSchedule
{
    /// <summary>
    /// By schedule: the first slot after <paramref name="after"/> that is not yet due at <paramref name="now"/>.
    /// Slots that fell due while nothing could create them (a series started in the past, a long outage) are
    /// passed over rather than piled up as overdue copies. Null when the rule has no further slot.
    /// </summary>
    public static DueDate? NextBySchedule(TaskSeries series, DateTime after, DateTimeOffset now)
    {
        // A series restarted from a later date begins with that date itself, which the rule's expansion (strictly
        // after a time) would pass over.
        var start = series.Start;
        if (start.Local.ToDateTimeUnspecified() > after && start.At > now)
            return start;

        var zone = DateTimeZoneProviders.Tzdb[series.TimeZone];
        // An all-day slot is due at the end of its day, so anything starting more than two days back is past.
        var from = LocalDateTime.FromDateTime(after);
        var twoDaysBack = Instant.FromDateTimeOffset(now).InZone(zone).LocalDateTime.PlusDays(-2);
        if (from < twoDaysBack)
            from = twoDaysBack;

        while (true)
        {
            var batch = RecurrenceDates.Occurrences(series.Rule, series.Start, from, 64);
            foreach (var slot in batch)
            {
                if (slot.At > now)
                    return slot;
            }
            if (batch.Count < 64)
                return null;
            from = batch[^1].Local;
        }
    }

    /// <summary>
    /// From completion, an occurrence is identified by the completion it follows: the wall time, in the series' zone,
    /// at which its predecessor was completed (to the microsecond, as PostgreSQL keeps it). Its due date cannot serve,
    /// since completing early may give the next one the same due date as the current one.
    /// </summary>
    public static DateTime CompletionSlot(TaskSeries series, DateTimeOffset completedAt)
    {
        var local = Instant.FromDateTimeOffset(completedAt).InZone(DateTimeZoneProviders.Tzdb[series.TimeZone]).LocalDateTime
            .ToDateTimeUnspecified();
        return new DateTime(local.Ticks - local.Ticks % 10, DateTimeKind.Unspecified);
    }

    /// <summary>From completion: the occurrence that follows completing the latest one at <paramref name="completedAt"/>.</summary>
    public static DueDate? NextAfterCompletion(TaskSeries series, DateTimeOffset completedAt) =>
        RecurrenceDates.AfterCompletion(series.Rule, series.Start, completedAt, series.CreatedCount);
}
