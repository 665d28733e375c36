using System.Globalization;
using System.Text.RegularExpressions;

namespace TaskFlow.Components.Calendar;

/// <summary>
/// Reads the repeats people write in words ("weekdays", "every 2 weeks on mon,wed", "monthly on the last friday")
/// as RRULE text. Anything else is left for the RRULE parser, so only text that starts like a shorthand but goes
/// wrong gets an error from here, one that says what to write instead.
/// </summary>
internal static partial class RecurrenceShorthand
{
    private static readonly Dictionary<string, string> Fixed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["weekdays"] = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ["every weekday"] = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ["annually"] = "FREQ=YEARLY",
    };

    private static readonly Dictionary<string, DayOfWeek> DayNames = BuildDayNames();

    private static readonly Dictionary<string, int> Ordinals = new(StringComparer.OrdinalIgnoreCase)
    {
        ["first"] = 1, ["1st"] = 1,
        ["second"] = 2, ["2nd"] = 2,
        ["third"] = 3, ["3rd"] = 3,
        ["fourth"] = 4, ["4th"] = 4,
        ["fifth"] = 5, ["5th"] = 5,
        ["last"] = -1,
    };

    /// <summary>
    /// True when <paramref name="text"/> is shorthand: then either <paramref name="rrule"/> or
    /// <paramref name="error"/> is set. False when it should be read as an RRULE.
    /// </summary>
    public static bool TryRead(string text, out string? rrule, out string? error)
    {
        rrule = null;
        error = null;
        var words = Whitespace().Replace(text.Trim(), " ");
        if (Fixed.TryGetValue(words, out var known))
        {
            rrule = known;
            return true;
        }

        var match = Repeat().Match(words);
        if (!match.Success)
            return false;

        var frequency = Frequency(match.Groups["unit"].Value);
        var interval = match.Groups["n"].Value switch
        {
            "" => 1,
            var n when n.Equals("other", StringComparison.OrdinalIgnoreCase) => 2,
            var n => int.Parse(n, CultureInfo.InvariantCulture),
        };
        var rule = interval == 1 ? $"FREQ={frequency}" : $"FREQ={frequency};INTERVAL={interval}";

        if (!match.Groups["on"].Success)
        {
            rrule = rule;
            return true;
        }

        var on = match.Groups["on"].Value;
        var part = frequency switch
        {
            "WEEKLY" => WeekDays(on, out error),
            "MONTHLY" => DayOfMonth(on, out error),
            _ => Refuse(out error, "Only weekly and monthly repeats take 'on': 'weekly on mon,wed', 'monthly on the 15th'."),
        };
        rrule = part is null ? null : $"{rule};{part}";
        return true;
    }

    private static string Frequency(string unit) => unit.ToLowerInvariant() switch
    {
        "hour" or "hours" or "hourly" => "HOURLY",
        "day" or "days" or "daily" => "DAILY",
        "week" or "weeks" or "weekly" => "WEEKLY",
        "month" or "months" or "monthly" => "MONTHLY",
        _ => "YEARLY",
    };

    /// <summary>"mon,wed", "Monday and Wednesday", "tu th": BYDAY in week order, each day once.</summary>
    private static string? WeekDays(string list, out string? error)
    {
        error = null;
        var days = new HashSet<DayOfWeek>();
        foreach (var word in DayListSeparators().Split(list))
        {
            if (word.Length == 0 || word.Equals("and", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!DayNames.TryGetValue(word, out var day))
                return Refuse(out error, $"'{word}' is not a day of the week: write days as 'mon,wed' or 'monday and wednesday'.");
            days.Add(day);
        }
        if (days.Count == 0)
            return Refuse(out error, "Name the days: 'weekly on mon,wed'.");
        // Monday first, as people read a week and as BYDAY is usually written.
        return "BYDAY=" + string.Join(',', days.OrderBy(d => ((int)d + 6) % 7).Select(Code));
    }

    /// <summary>"the last friday", "the 2nd tuesday", "the last day", "the 15th", "day 31".</summary>
    private static string? DayOfMonth(string text, out string? error)
    {
        error = null;
        if (Nth().Match(text) is { Success: true } nth)
        {
            var ordinal = Ordinals[nth.Groups["ordinal"].Value];
            var name = nth.Groups["day"].Value;
            if (name.Equals("day", StringComparison.OrdinalIgnoreCase))
                return $"BYMONTHDAY={ordinal}";
            return DayNames.TryGetValue(name, out var day)
                ? $"BYDAY={ordinal}{Code(day)}"
                : Refuse(out error, $"'{name}' is not a day of the week: write 'monthly on the last friday'.");
        }

        if (MonthDay().Match(text) is { Success: true } date)
        {
            var number = int.Parse(date.Groups["day"].Value, CultureInfo.InvariantCulture);
            return number is >= 1 and <= 31
                ? $"BYMONTHDAY={number}"
                : Refuse(out error, $"A month has days 1 to 31, not {number}.");
        }

        return Refuse(out error, "Write the day of the month as 'the 15th', 'day 31', 'the last day' or 'the last friday'.");
    }

    private static string? Refuse(out string? error, string message)
    {
        error = message;
        return null;
    }

    private static string Code(DayOfWeek day) => day.ToString()[..2].ToUpperInvariant();

    private static Dictionary<string, DayOfWeek> BuildDayNames()
    {
        var names = new Dictionary<string, DayOfWeek>(StringComparer.OrdinalIgnoreCase)
        {
            ["tues"] = DayOfWeek.Tuesday,
            ["thur"] = DayOfWeek.Thursday,
            ["thurs"] = DayOfWeek.Thursday,
        };
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var name = day.ToString();
            names[name] = day;
            names[name + "s"] = day;
            names[name[..2]] = day;
            names[name[..3]] = day;
        }
        return names;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[\s,&]+")]
    private static partial Regex DayListSeparators();

    [GeneratedRegex(
        @"^(?:(?<unit>hourly|daily|weekly|monthly|yearly)|every (?:(?<n>[1-9]\d{0,3}|other) )?(?<unit>hours?|days?|weeks?|months?|years?))(?: on (?<on>.+))?$",
        RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex Repeat();

    [GeneratedRegex(@"^(?:the )?(?<ordinal>first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th) (?<day>[a-z]+)$",
        RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex Nth();

    [GeneratedRegex(@"^(?:(?:the )?(?<day>\d{1,3})(?:st|nd|rd|th)?|day (?<day>\d{1,3}))$",
        RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex MonthDay();
}
