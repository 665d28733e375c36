using System.Text.RegularExpressions;
using NodaTime;
using TaskFlow.Components.Calendar;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>
/// A repeating task needs a due date, where its series starts. Without a date in the text, the series starts at its
/// first occurrence from today: at the time given (today if still ahead, else from tomorrow), all day without one,
/// or for an hourly repeat at the next full hour.
/// </summary>
internal static partial class RepeatStart
{
    /// <summary>The RRULE of <paramref name="shorthand"/> and the due it starts at, or the error RecurrenceRule gives.</summary>
    public static (string Rule, DueDate Due)? Resolve(string shorthand, DueDate? due, bool dateGiven, ZonedDateTime now, out string error)
    {
        var start = due ?? (shorthand.Contains("hour", StringComparison.OrdinalIgnoreCase)
            ? DueDate.TryAtTime(now.LocalDateTime.Date.At(new LocalTime(now.Hour, 0)).PlusHours(1), now.Zone)
            : DueDate.TryOnDay(now.Date, now.Zone));
        error = "The series would start past the end of the calendar.";
        if (start is null || !RecurrenceRule.TryParse(shorthand, start, out var rule, out error))
            return null;
        return (rule, dateGiven || !rule.Contains("BY", StringComparison.Ordinal) ? start : FirstOnOrAfter(rule, start) ?? start);
    }

    /// <summary>
    /// The first day from <paramref name="start"/> that the rule's days (BYDAY, BYMONTHDAY) pick. The interval is
    /// left out, so "every 2 weeks on mon" starts on the coming Monday and counts its weeks from there.
    /// </summary>
    private static DueDate? FirstOnOrAfter(string rule, DueDate start)
    {
        var zone = DateTimeZoneProviders.Tzdb[start.TimeZone];
        var dayBefore = start.AllDay ? DueDate.TryOnDay(start.Local.Date.PlusDays(-1), zone) : DueDate.TryAtTime(start.Local.PlusDays(-1), zone);
        return dayBefore is null ? null : RecurrenceDates.NextAfter(Interval().Replace(rule, ""), dayBefore, start.Local.PlusSeconds(-1));
    }

    [GeneratedRegex(@";INTERVAL=\d+")]
    private static partial Regex Interval();
}
