using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace TaskFlow.Components.Calendar;

/// <summary>How long before a task's due time a reminder fires: ISO 8601 ("PT15M", "P1DT2H", "P1W") or "15 minutes".</summary>
public static partial class ReminderOffsets
{
    public const int MaxPerTask = 5;
    public static readonly TimeSpan Longest = TimeSpan.FromDays(365);

    public static bool TryParse(string? text, out TimeSpan offset, out string error)
    {
        offset = default;
        error = "Must be a duration such as 'PT15M', '15 minutes', '1 hour' or '2 days'.";
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var trimmed = text.Trim();

        if (trimmed.StartsWith('-'))
        {
            error = "Must not be negative: reminders fire before the due time.";
            return false;
        }

        if (!TryParseIso(trimmed, out offset) && !TryParsePlain(trimmed, out offset))
            return false;

        if (offset > Longest)
        {
            error = "Must be at most 365 days.";
            return false;
        }
        return true;
    }

    /// <summary>
    /// The instant <paramref name="offset"/> before <paramref name="at"/>: when a reminder fires or an occurrence
    /// appears. The calendar's first instant when that comes sooner, so that it fires at once rather than fail.
    /// </summary>
    public static DateTimeOffset Before(DateTimeOffset at, TimeSpan offset) =>
        at - DateTimeOffset.MinValue < offset ? DateTimeOffset.MinValue : at - offset;

    /// <summary>The canonical ISO 8601 form, as the API returns it.</summary>
    public static string Format(TimeSpan offset) => XmlConvert.ToString(offset);

    private static bool TryParseIso(string text, out TimeSpan offset)
    {
        offset = default;
        var upper = text.ToUpperInvariant();
        // Weeks are fixed lengths; years and months are not, so they are refused rather than guessed.
        var weeks = IsoWeeks().Match(upper);
        if (weeks.Success)
            return int.TryParse(weeks.Groups[1].Value, CultureInfo.InvariantCulture, out var w) && (offset = TimeSpan.FromDays(7.0 * w)) >= TimeSpan.Zero;
        if (!upper.StartsWith('P') || IsoYearsOrMonths().IsMatch(upper))
            return false;
        try
        {
            offset = XmlConvert.ToTimeSpan(upper);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static bool TryParsePlain(string text, out TimeSpan offset)
    {
        offset = default;
        var match = PlainForm().Match(text);
        if (!match.Success || !int.TryParse(match.Groups["n"].Value, CultureInfo.InvariantCulture, out var n))
            return false;
        offset = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "minute" or "minutes" or "min" or "mins" => TimeSpan.FromMinutes(n),
            "hour" or "hours" => TimeSpan.FromHours(n),
            "day" or "days" => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7.0 * n),
        };
        return true;
    }

    [GeneratedRegex(@"^P(\d{1,4})W$")]
    private static partial Regex IsoWeeks();

    [GeneratedRegex(@"^P[^T]*[YM]")]
    private static partial Regex IsoYearsOrMonths();

    [GeneratedRegex(@"^(?<n>\d{1,6})\s*(?<unit>minutes?|mins?|hours?|days?|weeks?)$", RegexOptions.IgnoreCase)]
    private static partial Regex PlainForm();
}
