using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>
/// The time of day: "5pm", "at 9am", "9:30 am", "at 17:30" (a colon makes it the 24-hour clock), "noon". "at 9" could
/// be morning or evening, so it is not read and stays in the title. The first time counts; another stays in the title.
/// </summary>
internal static partial class TimeWords
{
    public static (LocalTime Time, Match Match)? Read(TextClaims text)
    {
        LocalTime? time = null;
        var match = text.ClaimFirst(Time(), candidate => (time = Resolve(candidate)) is not null);
        return match is null ? null : (time!.Value, match);
    }

    private static LocalTime? Resolve(Match match)
    {
        if (match.Groups["noon"].Success)
            return new LocalTime(12, 0);
        var hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        if (minute > 59)
            return null;
        if (!match.Groups["half"].Success)
            return hour <= 23 ? new LocalTime(hour, minute) : null;
        if (hour is < 1 or > 12)
            return null;
        var pm = char.ToLowerInvariant(match.Groups["half"].Value[0]) == 'p';
        return new LocalTime(hour % 12 + (pm ? 12 : 0), minute);
    }

    [GeneratedRegex(Words.Start + @"(?:at\s+)?(?:(?<noon>noon|midday)" + Words.End + @"|(?<h>\d{1,2})(?::(?<m>\d{2}))?\s*(?<half>am|pm|a\.m\.|p\.m\.)" + Words.End
        + @"|(?<h>\d{1,2}):(?<m>\d{2})" + Words.End + ")",
        RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex Time();
}
