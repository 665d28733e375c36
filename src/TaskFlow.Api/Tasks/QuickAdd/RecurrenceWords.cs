using System.Text.RegularExpressions;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>
/// Finds a repeat in the text and hands it, as the shorthand TaskFlow already reads ("daily", "weekdays", "every 2
/// weeks on mon,wed", "monthly on the last friday", "every month on the 1st"), to RecurrenceRule, which checks it.
/// "every monday" and "every tue and thu" are the one form added here, read as "weekly on ...".
/// </summary>
internal static partial class RecurrenceWords
{
    /// <summary>The first repeat in the text, as shorthand, or null when there is none.</summary>
    public static (string Shorthand, Match Match)? Read(TextClaims text) =>
        text.ClaimFirst(Repeat(), _ => true) is { } match
            ? (match.Groups["days"].Success ? $"weekly on {match.Groups["days"].Value}" : match.Value, match)
            : null;

    private const string DayList = @"(?:" + Words.Day + @")s?(?:(?:\s*,\s*|\s*&\s*|\s+and\s+)(?:" + Words.Day + @")s?)*";

    private const string On = @"(?:\s+on\s+(?:" + DayList
        + @"|(?:the\s+)?(?:first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+(?:day|" + Words.Day + @")"
        + @"|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)|the\s+\d{1,2}|day\s+\d{1,2}))?";

    [GeneratedRegex(Words.Start + @"(?:every\s+weekday|weekdays"
        + @"|every\s+(?:(?:other|[1-9]\d{0,3})\s+)?(?:hours?|days?|weeks?|months?|years?)" + On
        + @"|(?:hourly|daily|weekly|monthly|yearly)" + On + @"|annually"
        + @"|every\s+(?<days>" + DayList + @"))" + Words.End,
        RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex Repeat();
}
