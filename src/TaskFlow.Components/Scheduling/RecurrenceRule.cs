using System.Globalization;
using System.Text.RegularExpressions;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using NodaTime;

namespace TaskFlow.Components.Scheduling;

/// <summary>
/// A repeat rule, kept as an RFC 5545 RRULE (without the "RRULE:" prefix). People may write the
/// common ones in words ("weekdays", "every 2 weeks"); Ical.Net parses and evaluates the rest.
/// </summary>
public static partial class RecurrenceRule
{
    private static readonly EvaluationOptions Bounded = new() { MaxUnmatchedIncrementsLimit = 5_000 };

    private static readonly Dictionary<string, string> Shorthands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["daily"] = "FREQ=DAILY",
        ["every day"] = "FREQ=DAILY",
        ["weekdays"] = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ["every weekday"] = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ["weekly"] = "FREQ=WEEKLY",
        ["every week"] = "FREQ=WEEKLY",
        ["every other week"] = "FREQ=WEEKLY;INTERVAL=2",
        ["monthly"] = "FREQ=MONTHLY",
        ["every month"] = "FREQ=MONTHLY",
        ["yearly"] = "FREQ=YEARLY",
        ["annually"] = "FREQ=YEARLY",
        ["every year"] = "FREQ=YEARLY",
    };

    /// <summary>
    /// Normalises <paramref name="text"/> to an RRULE and checks that, starting at <paramref name="due"/>,
    /// it yields at least one further occurrence.
    /// </summary>
    public static bool TryParse(string text, DueDate? due, out string rule, out string error)
    {
        rule = "";
        error = "";
        if (!TryNormalise(text.Trim(), out var pattern, out error))
            return false;

        if (pattern.Frequency is FrequencyType.Secondly or FrequencyType.Minutely)
        {
            error = "Tasks can repeat at most hourly.";
            return false;
        }
        if (due is null)
        {
            error = "A repeating task needs a due date: the series starts there.";
            return false;
        }

        rule = pattern.ToString() ?? text;
        try
        {
            if (NextAfter(rule, due, due.Local) is null)
            {
                error = "The rule has no occurrence after the due date.";
                return false;
            }
        }
        catch (EvaluationLimitExceededException)
        {
            error = "The rule never matches a date (for example, February 30th).";
            return false;
        }
        return true;
    }

    /// <summary>The first occurrence of the series strictly after <paramref name="after"/> (wall time in the due zone).</summary>
    public static DueDate? NextAfter(string rule, DueDate start, LocalDateTime after)
    {
        var zone = DateTimeZoneProviders.Tzdb[start.TimeZone];
        // An all-day series runs at local midnight; only its dates matter.
        var series = new CalendarEvent { Start = ToCalDateTime(start.Local, start.TimeZone) };
        series.RecurrenceRule = new RecurrencePattern(rule);

        var from = ToCalDateTime(after.PlusSeconds(1), start.TimeZone);
        var next = series.GetOccurrences(from, Bounded).FirstOrDefault(o => ToLocal(o.Period.StartTime) > after);
        if (next is null)
            return null;
        var local = ToLocal(next.Period.StartTime);
        return start.AllDay ? DueDate.OnDay(local.Date, zone) : DueDate.AtTime(local, zone);
    }

    private static bool TryNormalise(string text, out RecurrencePattern pattern, out string error)
    {
        pattern = null!;
        error = "Must be 'daily', 'weekdays', 'weekly', 'every 2 weeks', 'monthly', 'yearly' or an RFC 5545 RRULE such as 'FREQ=WEEKLY;BYDAY=MO,WE'.";
        if (text.Length is 0 or > 500)
            return false;

        var rrule = Shorthands.TryGetValue(text, out var known) ? known : FromEveryN(text) ?? StripPrefix(text);
        try
        {
            pattern = new RecurrencePattern(rrule);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            error = $"Not a valid RRULE: {e.Message.Split(" (Parameter", 2)[0]}";
            return false;
        }
    }

    private static string? FromEveryN(string text)
    {
        var match = EveryN().Match(text);
        if (!match.Success)
            return null;
        var interval = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        var frequency = match.Groups["unit"].Value.ToLowerInvariant().TrimEnd('s') switch
        {
            "hour" => "HOURLY",
            "day" => "DAILY",
            "week" => "WEEKLY",
            "month" => "MONTHLY",
            _ => "YEARLY",
        };
        return interval == 1 ? $"FREQ={frequency}" : $"FREQ={frequency};INTERVAL={interval}";
    }

    private static string StripPrefix(string text) =>
        text.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase) ? text[6..] : text;

    private static CalDateTime ToCalDateTime(LocalDateTime local, string zone) =>
        new(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, zone);

    private static LocalDateTime ToLocal(CalDateTime value) =>
        LocalDateTime.FromDateTime(value.Value);

    [GeneratedRegex(@"^every\s+(?<n>[1-9]\d{0,3})\s+(?<unit>hours?|days?|weeks?|months?|years?)$", RegexOptions.IgnoreCase)]
    private static partial Regex EveryN();
}
