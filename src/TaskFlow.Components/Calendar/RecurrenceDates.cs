using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using NodaTime;

namespace TaskFlow.Components.Calendar;

/// <summary>
/// The dates a <see cref="RecurrenceRule"/> gives: by its calendar, expanded in the wall time of the series' zone, or
/// from a completion, counted from the day the latest occurrence was done.
/// </summary>
public static class RecurrenceDates
{
    private static readonly EvaluationOptions Bounded = new() { MaxUnmatchedIncrementsLimit = 5_000 };

    /// <summary>The first occurrence of the series strictly after <paramref name="after"/> (wall time in the start's zone).</summary>
    public static DueDate? NextAfter(string rule, DueDate start, LocalDateTime after) =>
        Occurrences(rule, start, after, 1) is [var next] ? next : null;

    /// <summary>
    /// Up to <paramref name="count"/> occurrences of the series that begins at <paramref name="start"/>, in order,
    /// strictly after the wall time <paramref name="after"/> in the start's zone. Fewer when COUNT or UNTIL ends
    /// the series first, or when the rule stops matching (Ical.Net gives up after 5,000 empty periods).
    /// </summary>
    public static IReadOnlyList<DueDate> Occurrences(string rule, DueDate start, LocalDateTime after, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var found = new List<DueDate>(count);
        if (count == 0)
            return found;
        try
        {
            foreach (var occurrence in Expand(rule, start, after))
            {
                found.Add(occurrence);
                if (found.Count == count)
                    break;
            }
        }
        catch (EvaluationException)
        {
            // The series ends where Ical.Net can no longer find a date: what came before still stands.
        }
        return found;
    }

    /// <summary>
    /// The occurrence that follows a completion at <paramref name="completedAt"/> in a series repeated from
    /// completion: the completion day plus the rule's interval, at the series' time of day (an hourly rule counts
    /// from the completion instant). Months end as NodaTime ends them (31 January plus a month is 28 or 29 February).
    /// Null when COUNT, counting the <paramref name="occurrencesSoFar"/> that exist, or UNTIL ends the series.
    /// </summary>
    public static DueDate? AfterCompletion(string rule, DueDate start, DateTimeOffset completedAt, int occurrencesSoFar)
    {
        var pattern = new RecurrencePattern(RecurrenceRule.StripPrefix(rule));
        if (pattern.Count is { } count && occurrencesSoFar >= count)
            return null;

        var zone = DateTimeZoneProviders.Tzdb[start.TimeZone];
        var completed = Instant.FromDateTimeOffset(completedAt);
        var interval = Math.Max(1, pattern.Interval);
        // Past the end of the calendar there is no next occurrence: the series ends, as it would by COUNT.
        var next = CalendarEnd.WithinOrNull(() =>
        {
            if (pattern.Frequency == FrequencyType.Hourly)
            {
                // From the instant itself: its wall time may occur twice when the clocks go back.
                var at = completed.Plus(NodaTime.Duration.FromHours(interval));
                return new DueDate(at.InZone(zone).LocalDateTime, false, zone.Id, at.ToDateTimeOffset());
            }

            var period = pattern.Frequency switch
            {
                FrequencyType.Daily => NodaTime.Period.FromDays(interval),
                FrequencyType.Weekly => NodaTime.Period.FromWeeks(interval),
                FrequencyType.Monthly => NodaTime.Period.FromMonths(interval),
                _ => NodaTime.Period.FromYears(interval),
            };
            var day = completed.InZone(zone).Date.Plus(period);
            return start.AllDay ? DueDate.TryOnDay(day, zone) : DueDate.TryAtTime(day.At(start.Local.TimeOfDay), zone);
        });
        return next is not null && WithinUntil(pattern.Until, zone)(next) ? next : null;
    }

    /// <summary>
    /// The series after <paramref name="after"/>, lazily. Ical.Net expands it as floating (zone-less) wall times,
    /// which keeps the nominal time of a day whose time a DST jump skips; UNTIL is applied here because its
    /// meaning depends on the zone.
    /// </summary>
    internal static IEnumerable<DueDate> Expand(string rule, DueDate start, LocalDateTime after)
    {
        var zone = DateTimeZoneProviders.Tzdb[start.TimeZone];
        var pattern = new RecurrencePattern(rule);
        var withinUntil = WithinUntil(pattern.Until, zone);
        pattern.Until = null;
        var series = new CalendarEvent { Start = Floating(start.Local, start.AllDay), RecurrenceRule = pattern };

        // Nothing comes after the calendar's last wall time, or after one whose instant is already past its end.
        if (after >= LastWallTime)
            yield break;
        // A wall time skipped by a spring-forward falls due with the next hour; an hourly series would then
        // have two occurrences at one instant, so only the first is kept.
        DateTimeOffset? latest = null;
        if (!start.AllDay)
        {
            if (DueDate.TryAtTime(after, zone) is not { } afterDue)
                yield break;
            latest = afterDue.At;
        }
        using var occurrences = series.GetOccurrences(Floating(after.PlusSeconds(1), allDay: false), Bounded).GetEnumerator();
        while (NextWithinCalendar(occurrences) is { } occurrence)
        {
            var local = LocalDateTime.FromDateTime(occurrence.Period.StartTime.Value);
            if (local <= after)
                continue;
            // An occurrence that would fall due past the end of the calendar ends the series there.
            var due = start.AllDay ? DueDate.TryOnDay(local.Date, zone) : DueDate.TryAtTime(local, zone);
            if (due is null || !withinUntil(due))
                yield break;
            if (due.At <= latest)
                continue;
            latest = start.AllDay ? null : due.At;
            yield return due;
        }
    }

    /// <summary>The next occurrence Ical.Net finds, or null when there is none or it would lie past the year 9999.</summary>
    private static Occurrence? NextWithinCalendar(IEnumerator<Occurrence> occurrences) =>
        CalendarEnd.WithinOrNull(() => occurrences.MoveNext() ? occurrences.Current : null);

    /// <summary>
    /// RFC 5545: an UNTIL ending in Z is an instant; any other is a wall time in the series' zone. A date alone,
    /// the form an all-day series should use, takes in the whole of that day.
    /// </summary>
    private static Func<DueDate, bool> WithinUntil(CalDateTime? until, DateTimeZone zone)
    {
        if (until is null)
            return _ => true;
        if (!until.HasTime)
        {
            var lastDay = LocalDate.FromDateOnly(until.Date);
            return occurrence => occurrence.Local.Date <= lastDay;
        }

        var wallTime = LocalDateTime.FromDateTime(until.Value);
        if (!until.IsUtc)
            return occurrence => occurrence.Local <= wallTime;

        var instant = wallTime.InUtc().ToInstant();
        return occurrence => StartInstant(occurrence, zone) <= instant;
    }

    /// <summary>When an occurrence begins: an all-day one at the start of its day, not at <see cref="DueDate.At"/>.</summary>
    private static Instant StartInstant(DueDate occurrence, DateTimeZone zone) => occurrence.AllDay
        ? zone.AtStartOfDay(occurrence.Local.Date).ToInstant()
        : Instant.FromDateTimeOffset(occurrence.At);

    private static readonly LocalDateTime LastWallTime = new(9999, 12, 31, 23, 59, 59);

    private static CalDateTime Floating(LocalDateTime local, bool allDay) => allDay
        ? new CalDateTime(local.Year, local.Month, local.Day)
        : new CalDateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second);
}
