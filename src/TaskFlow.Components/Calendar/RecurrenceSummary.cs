using System.Globalization;
using Ical.Net;
using Ical.Net.DataTypes;

namespace TaskFlow.Components.Calendar;

/// <summary>
/// Puts an RRULE into English: "Every weekday", "Every 2 weeks on Monday and Wednesday", "Monthly on the last
/// Friday", "Daily, 10 times", "Weekly until 31 Dec 2027". Each rule part adds a phrase, so any rule reads
/// sensibly; the shapes the shorthands produce read as a person would say them.
/// </summary>
internal static class RecurrenceSummary
{
    private static readonly DayOfWeek[] Weekdays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public static string Describe(RecurrencePattern rule)
    {
        var phrases = new List<string>();
        var plainDays = rule.ByDay.Where(d => d.Offset is null).Select(d => d.DayOfWeek).Distinct()
            .OrderBy(d => ((int)d + 6) % 7).ToList();
        var onlyWeekdays = plainDays.Count == 5 && Weekdays.All(plainDays.Contains);

        var everyWeekday = onlyWeekdays && rule is { Interval: 1, BySetPosition.Count: 0, Frequency: FrequencyType.Daily or FrequencyType.Weekly };
        phrases.Add(everyWeekday ? "Every weekday" : Every(rule.Frequency, rule.Interval));
        phrases.AddRange(Days(rule, everyWeekday ? [] : plainDays, onlyWeekdays));

        if (rule.ByYearDay.Count > 0)
            phrases.Add($"on {List(rule.ByYearDay, n => Nth(n, "day"))} of the year");
        if (rule.ByWeekNo.Count > 0)
            phrases.Add($"in {List(rule.ByWeekNo, n => Nth(n, "week"))} of the year");
        phrases.AddRange(Times(rule));

        var text = string.Join(' ', phrases);
        if (rule.Count is { } count)
            text += count == 1 ? ", once" : $", {count} times";
        if (rule.Until is { } until)
            text += $" until {Until(until)}";
        return text;
    }

    private static string Every(FrequencyType frequency, int interval)
    {
        var (adverb, unit) = frequency switch
        {
            FrequencyType.Secondly => ("Every second", "seconds"),
            FrequencyType.Minutely => ("Every minute", "minutes"),
            FrequencyType.Hourly => ("Hourly", "hours"),
            FrequencyType.Daily => ("Daily", "days"),
            FrequencyType.Weekly => ("Weekly", "weeks"),
            FrequencyType.Monthly => ("Monthly", "months"),
            _ => ("Yearly", "years"),
        };
        return interval == 1 ? adverb : $"Every {interval} {unit}";
    }

    /// <summary>BYDAY, BYSETPOS, BYMONTHDAY and BYMONTH, which together say which days of a period count.</summary>
    private static IEnumerable<string> Days(RecurrencePattern rule, List<DayOfWeek> plainDays, bool onlyWeekdays)
    {
        if (rule is { Frequency: FrequencyType.Yearly, ByMonth.Count: 1, ByMonthDay: [> 0], ByDay.Count: 0, BySetPosition.Count: 0 })
        {
            yield return $"on {rule.ByMonthDay[0]} {Month(rule.ByMonth[0])}";
            yield break;
        }

        var positions = rule.BySetPosition.Count > 0 ? $"the {List(rule.BySetPosition, Ordinal)}" : null;
        var monthDays = rule.ByMonthDay.Count > 0 ? $"the {List(rule.ByMonthDay, MonthDay)}" : null;
        if (plainDays.Count > 0 && positions is not null)
            yield return $"on {positions} {DayKind(plainDays, onlyWeekdays)}";
        else if (plainDays.Count > 0 && monthDays is not null)
            yield return $"on {monthDays} when it is a {List(plainDays, d => d.ToString(), "or")}";
        else if (plainDays.Count > 0)
            // Within a month or year, BYDAY alone means every such day.
            yield return onlyWeekdays ? "on weekdays"
                : $"on {(rule.Frequency > FrequencyType.Weekly ? "every " : "")}{List(plainDays, d => d.ToString())}";
        else if (monthDays is not null)
            yield return positions is null ? $"on {monthDays}" : $"on {positions} of {monthDays}";
        else if (positions is not null)
            yield return $"keeping {positions} of each period";

        var nthDays = rule.ByDay.Where(d => d.Offset is not null).Select(d => $"the {Ordinal(d.Offset!.Value)} {d.DayOfWeek}").ToList();
        if (nthDays.Count > 0)
            yield return $"on {List(nthDays, d => d)}";
        if (rule.ByMonth.Count > 0)
            yield return $"in {List(rule.ByMonth, Month)}";
    }

    private static string DayKind(List<DayOfWeek> days, bool onlyWeekdays) => onlyWeekdays ? "weekday"
        : days.Count == 7 ? "day"
        : List(days, d => d.ToString(), "or");

    private static IEnumerable<string> Times(RecurrencePattern rule)
    {
        if (rule.ByHour.Count > 0 && rule.ByMinute.Count > 0)
        {
            var times = rule.ByHour.Order().SelectMany(h => rule.ByMinute.Order().Select(m => $"{h:00}:{m:00}")).ToList();
            yield return $"at {List(times, t => t)}";
        }
        else if (rule.ByHour.Count > 0)
            yield return $"in {(rule.ByHour.Count == 1 ? "hour" : "hours")} {List(rule.ByHour, h => h.ToString(CultureInfo.InvariantCulture))}";
        else if (rule.ByMinute.Count > 0)
            yield return $"at {(rule.ByMinute.Count == 1 ? "minute" : "minutes")} {List(rule.ByMinute, m => m.ToString(CultureInfo.InvariantCulture))}";

        if (rule.BySecond.Count > 0)
            yield return $"at {(rule.BySecond.Count == 1 ? "second" : "seconds")} {List(rule.BySecond, s => s.ToString(CultureInfo.InvariantCulture))}";
    }

    private static string Until(CalDateTime until)
    {
        var date = until.Date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        if (!until.HasTime)
            return date;
        var format = until.Second == 0 ? "HH:mm" : "HH:mm:ss";
        return $"{date} at {until.Time!.Value.ToString(format, CultureInfo.InvariantCulture)}{(until.IsUtc ? " UTC" : "")}";
    }

    /// <summary>first … fifth, then 6th, 20th; from the end: last, second-to-last, 3rd-to-last.</summary>
    private static string Ordinal(int n) => n switch
    {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        5 => "fifth",
        -1 => "last",
        -2 => "second-to-last",
        < 0 => $"{Numbered(-n)}-to-last",
        _ => Numbered(n),
    };

    private static string MonthDay(int day) => day switch
    {
        -1 => "last day",
        -2 => "second-to-last day",
        < 0 => $"{Numbered(-day)}-to-last day",
        _ => Numbered(day),
    };

    /// <summary>"day 100", "the last week", "the 2nd-to-last day": BYYEARDAY and BYWEEKNO count from either end.</summary>
    private static string Nth(int n, string unit) => n switch
    {
        -1 => $"the last {unit}",
        < 0 => $"the {Numbered(-n)}-to-last {unit}",
        _ => $"{unit} {n.ToString(CultureInfo.InvariantCulture)}",
    };

    private static string Numbered(int n)
    {
        var suffix = (n % 100) is >= 11 and <= 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return n.ToString(CultureInfo.InvariantCulture) + suffix;
    }

    private static string Month(int month) => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month);

    /// <summary>"A", "A and B", "A, B and C".</summary>
    private static string List<T>(IReadOnlyList<T> items, Func<T, string> text, string conjunction = "and") =>
        items.Count == 1
            ? text(items[0])
            : $"{string.Join(", ", items.Take(items.Count - 1).Select(text))} {conjunction} {text(items[^1])}";
}
