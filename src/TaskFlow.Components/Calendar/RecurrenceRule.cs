using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using NodaTime;

namespace TaskFlow.Components.Calendar;

/// <summary>
/// A repeat rule, kept as an RFC 5545 RRULE (without the "RRULE:" prefix). People may write the common ones in
/// words (<see cref="RecurrenceShorthand"/>); Ical.Net parses and expands them. A series is expanded in the wall
/// time of its zone and each occurrence then resolved as a <see cref="DueDate"/> is, so a 09:00 task stays at
/// 09:00 across DST changes and a time skipped by one moves forward like any due date.
/// </summary>
public static class RecurrenceRule
{
    private const string Examples =
        "Must be a repeat such as 'daily', 'weekdays', 'weekly on mon,wed', 'every 2 weeks', 'monthly on the last friday', "
        + "'monthly on the 15th', 'yearly', or an RFC 5545 RRULE such as 'FREQ=WEEKLY;BYDAY=MO,WE'.";

    private static readonly EvaluationOptions Bounded = new() { MaxUnmatchedIncrementsLimit = 5_000 };

    /// <summary>
    /// Normalises <paramref name="text"/> (shorthand or RRULE) to an RRULE and checks that, starting at
    /// <paramref name="due"/>, it yields at least one further occurrence.
    /// </summary>
    public static bool TryParse(string text, DueDate? due, out string rule, out string error)
    {
        rule = "";
        if (!TryRead(text.Trim(), out var pattern, out error))
            return false;

        if (pattern.Frequency is FrequencyType.Secondly or FrequencyType.Minutely)
            return Refuse(out error, "Tasks can repeat at most hourly.");
        if (due is null)
            return Refuse(out error, "A repeating task needs a due date: the series starts there.");
        if (due.AllDay && pattern.Frequency is FrequencyType.Hourly)
            return Refuse(out error, "An all-day task can repeat at most daily.");

        var normalised = pattern.ToString() ?? text;
        try
        {
            if (!Expand(normalised, due, due.Local).Any())
                return Refuse(out error, "The rule has no occurrence after the due date.");
        }
        catch (EvaluationLimitExceededException)
        {
            return Refuse(out error, "The rule never matches a date (for example, February 30th).");
        }
        catch (EvaluationException)
        {
            return Refuse(out error, "The rule has no occurrence after the due date before the year 10000.");
        }
        rule = normalised;
        return true;
    }

    /// <summary>An English summary of <paramref name="rrule"/>, one that <see cref="TryParse"/> produced.</summary>
    public static string Describe(string rrule) => RecurrenceSummary.Describe(new RecurrencePattern(StripPrefix(rrule)));

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
    /// Whether the rule is a plain interval (FREQ and INTERVAL, ended by COUNT or UNTIL): the only kind that can be
    /// counted from a completion, since a rule that picks days has no "interval after" a completion.
    /// </summary>
    public static bool IsFixedInterval(string rule)
    {
        var pattern = new RecurrencePattern(StripPrefix(rule));
        return pattern.ByDay.Count == 0 && pattern.ByMonthDay.Count == 0 && pattern.ByMonth.Count == 0
            && pattern.ByYearDay.Count == 0 && pattern.ByWeekNo.Count == 0 && pattern.BySetPosition.Count == 0
            && pattern.ByHour.Count == 0 && pattern.ByMinute.Count == 0 && pattern.BySecond.Count == 0;
    }

    /// <summary>
    /// The occurrence that follows a completion at <paramref name="completedAt"/> in a series repeated from
    /// completion: the completion day plus the rule's interval, at the series' time of day (an hourly rule counts
    /// from the completion instant). Months end as NodaTime ends them (31 January plus a month is 28 or 29 February).
    /// Null when COUNT, counting the <paramref name="occurrencesSoFar"/> that exist, or UNTIL ends the series.
    /// </summary>
    public static DueDate? AfterCompletion(string rule, DueDate start, DateTimeOffset completedAt, int occurrencesSoFar)
    {
        var pattern = new RecurrencePattern(StripPrefix(rule));
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
    private static IEnumerable<DueDate> Expand(string rule, DueDate start, LocalDateTime after)
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

    private static bool TryRead(string text, out RecurrencePattern pattern, out string error)
    {
        pattern = null!;
        error = Examples;
        if (text.Length is 0 or > 500)
            return false;

        if (RecurrenceShorthand.TryRead(text, out var shorthand, out var shorthandError) && shorthand is null)
        {
            error = shorthandError ?? Examples;
            return false;
        }
        if (!RecurrenceRuleParts.TryRead(shorthand ?? StripPrefix(text), out var parts, out var partsError))
        {
            error = $"{partsError} {Examples}";
            return false;
        }
        try
        {
            pattern = new RecurrencePattern(string.Join(';', parts.Select(p => $"{p.Key}={p.Value}")));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            error = $"Not a valid RRULE: {e.Message.Split(" (Parameter", 2)[0]} {Examples}";
            return false;
        }

        // What Ical.Net would run must be the rule as written: a part it reads otherwise is refused, never changed.
        var kept = RecurrenceRuleParts.Split(pattern.ToString() ?? "");
        var changed = parts.Keys.Union(kept.Keys).FirstOrDefault(name => parts.GetValueOrDefault(name) != kept.GetValueOrDefault(name));
        if (changed is null)
            return true;
        error = $"Not a valid RRULE: {changed}={parts.GetValueOrDefault(changed)} cannot be kept as written. {Examples}";
        return false;
    }

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

    private static bool Refuse(out string error, string message)
    {
        error = message;
        return false;
    }

    private static string StripPrefix(string text) =>
        text.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase) ? text[6..] : text;

    private static readonly LocalDateTime LastWallTime = new(9999, 12, 31, 23, 59, 59);

    private static CalDateTime Floating(LocalDateTime local, bool allDay) => allDay
        ? new CalDateTime(local.Year, local.Month, local.Day)
        : new CalDateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second);
}
