using Ical.Net;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

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
            if (!RecurrenceDates.Expand(normalised, due, due.Local).Any())
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

    private static bool Refuse(out string error, string message)
    {
        error = message;
        return false;
    }

    internal static string StripPrefix(string text) =>
        text.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase) ? text[6..] : text;
}
