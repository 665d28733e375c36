using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>
/// The day a task is due, in the owner's calendar: "today", "tonight" (today, 20:00 unless a time is given),
/// "tomorrow", "fri" (the coming Friday, today if it is Friday), "next fri" (the first Friday after today), "4 Jan",
/// "Jan 4th" (the next 4 January, today included), "4 Jan 2027", "2027-01-04", "in 3 days", "in 2 weeks", "in 1 month",
/// each also after "on", "by" or "due". "sat" and "sun" are English words too, so they are days only after one of
/// those, after "next" or "this", or spelled out. Numeric dates such as "5/6" could be 5 June or 6 May, so they are not
/// read. The first date counts; another stays in the title.
/// </summary>
internal static partial class DateWords
{
    public static readonly LocalTime Tonight = new(20, 0);

    public static (LocalDate Date, bool Tonight, Match Match)? Read(TextClaims text, LocalDate today)
    {
        LocalDate? date = null;
        var match = text.ClaimFirst(Date(), candidate => (date = Resolve(candidate, today)) is not null);
        return match is null ? null : (date!.Value, match.Groups["tonight"].Success, match);
    }

    private static LocalDate? Resolve(Match match, LocalDate today)
    {
        var groups = match.Groups;
        if (groups["today"].Success || groups["tonight"].Success)
            return today;
        if (groups["tomorrow"].Success)
            return today.PlusDays(1);
        if (groups["weekday"].Success)
            return Weekday(groups["weekday"].Value, groups["lead"].Success || groups["next"].Success, groups["next"].Value, today);
        if (groups["iso"].Success)
            return LocalDatePattern.Iso.Parse(groups["iso"].Value) is { Success: true } iso && iso.Value.Year is >= 1900 and <= 9999 ? iso.Value : null;
        if (groups["n"].Success)
            return CalendarEnd(() => today.Plus(Period(Words.Number(groups["n"].Value), groups["unit"].Value)));
        return DayOfMonth(groups, today);
    }

    private static LocalDate? Weekday(string word, bool led, string next, LocalDate today)
    {
        // "sat" and "sun" alone are more often words ("Sat exam", "sun cream") than days.
        if (!led && word.Length == 3 && word.ToLowerInvariant() is "sat" or "sun")
            return null;
        var day = Words.DayOfWeek(word);
        return next.Equals("next", StringComparison.OrdinalIgnoreCase) ? today.Next(day) : today.PlusDays(-1).Next(day);
    }

    private static LocalDate? DayOfMonth(GroupCollection groups, LocalDate today)
    {
        var day = int.Parse(groups["day"].Value, CultureInfo.InvariantCulture);
        var month = Words.MonthNumber(groups["month"].Value);
        if (groups["year"].Success)
            return Valid(int.Parse(groups["year"].Value, CultureInfo.InvariantCulture), month, day);
        // A date without a year that has passed this year means the next one; 29 Feb the next leap year's.
        for (var year = today.Year; year <= today.Year + 8; year++)
        {
            if (Valid(year, month, day) is { } date && date >= today)
                return date;
        }
        return null;
    }

    private static LocalDate? Valid(int year, int month, int day) =>
        year is >= 1900 and <= 9999 && day >= 1 && day <= CalendarSystem.Iso.GetDaysInMonth(year, month) ? new LocalDate(year, month, day) : null;

    private static Period Period(int n, string unit) => unit.ToLowerInvariant().TrimEnd('s') switch
    {
        "day" => NodaTime.Period.FromDays(n),
        "week" => NodaTime.Period.FromWeeks(n),
        "month" => NodaTime.Period.FromMonths(n),
        _ => NodaTime.Period.FromYears(n),
    };

    private static LocalDate? CalendarEnd(Func<LocalDate> compute)
    {
        try
        {
            return compute() is { Year: <= 9999 } date ? date : null;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    private const string Ordinal = @"(?:st|nd|rd|th)?";

    [GeneratedRegex(Words.Start + @"(?:(?<lead>due\s+(?:on|by)|on|by|due)\s+)?"
        + @"(?:(?<today>today)|(?<tonight>tonight)|(?<tomorrow>tomorrow|tmrw)"
        + @"|(?:(?<next>next|this)\s+)?(?<weekday>" + Words.Day + @")"
        + @"|(?:(?<day>\d{1,2})" + Ordinal + @"\s+(?:of\s+)?(?<month>" + Words.Month + @")"
        + @"|(?<month>" + Words.Month + @")\s+(?<day>\d{1,2})" + Ordinal + @")(?:,?\s+(?<year>\d{4}))?"
        + @"|(?<iso>\d{4}-\d{2}-\d{2})"
        + @"|in\s+(?<n>" + Words.Count + @")\s+(?<unit>days?|weeks?|months?|years?))" + Words.End,
        RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex Date();
}
