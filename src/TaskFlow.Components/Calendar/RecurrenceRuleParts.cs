using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime.Text;

namespace TaskFlow.Components.Calendar;

/// <summary>
/// Reads an RRULE part by part as RFC 5545 §3.3.10 writes it, before Ical.Net sees it: Ical.Net keeps the last of a
/// repeated part and merges repeated lists, drops an UNTIL it cannot read and takes "FREQ=3" for DAILY, so each would
/// store and run another rule than the one written. Names and values are case-insensitive (RFC 5545 §2) and come out
/// upper-case, numbers without leading zeros or plus signs, and an UNTIL written the ISO 8601 way ("2027-03-05",
/// "2027-03-05T09:00:00Z"), as many clients send it, in RFC 5545's basic form ("20270305", "20270305T090000Z").
/// </summary>
internal static partial class RecurrenceRuleParts
{
    private const string Invalid = "Not a valid RRULE: ";

    private static readonly string[] Frequencies = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"];
    private static readonly string[] Days = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

    /// <summary>The parts that list numbers, with the values RFC 5545 allows (zero never, where negatives count from the end).</summary>
    private static readonly Dictionary<string, (int Min, int Max)> NumberLists = new()
    {
        // RFC 5545 allows 60 for a leap second; Ical.Net does not, and no task needs one.
        ["BYSECOND"] = (0, 59),
        ["BYMINUTE"] = (0, 59),
        ["BYHOUR"] = (0, 23),
        ["BYMONTHDAY"] = (-31, 31),
        ["BYYEARDAY"] = (-366, 366),
        ["BYWEEKNO"] = (-53, 53),
        ["BYMONTH"] = (1, 12),
        ["BYSETPOS"] = (-366, 366),
    };

    private static readonly LocalDatePattern BasicDate = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");
    private static readonly LocalDateTimePattern BasicDateTime = LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss");

    /// <summary>
    /// The parts of <paramref name="text"/> (without the "RRULE:" prefix) by name, each value normalised, or an error
    /// that names the part at fault. Parts left at their defaults (INTERVAL=1, WKST=MO) are left out, as Ical.Net
    /// leaves them out when it writes a rule.
    /// </summary>
    public static bool TryRead(string text, out Dictionary<string, string> parts, out string error)
    {
        parts = new Dictionary<string, string>(StringComparer.Ordinal);
        error = "";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';'))
        {
            // An empty part (";;", a trailing ';') carries nothing, so leaving it out drops nothing.
            if (part.Trim().Length == 0)
                continue;
            var pair = part.Split('=');
            if (pair is not [var rawName, var rawValue] || rawName.Trim().Length == 0)
                return Refuse(out error, $"'{part}' is not a NAME=VALUE rule part.");
            var name = rawName.Trim().ToUpperInvariant();
            if (!seen.Add(name))
                return Refuse(out error, $"{name} is given more than once; RFC 5545 allows each part once (list several values in one: BYDAY=MO,WE).");
            var value = Normalise(name, rawValue.Trim().ToUpperInvariant(), out error);
            if (value is null)
                return false;
            if (!IsDefault(name, value))
                parts[name] = value;
        }
        return Consistent(parts, out error);
    }

    /// <summary>The parts of a rule as Ical.Net wrote it, to compare with what was read.</summary>
    public static Dictionary<string, string> Split(string rule) =>
        rule.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1] : "", StringComparer.Ordinal);

    private static bool IsDefault(string name, string value) => (name, value) is ("INTERVAL", "1") or ("WKST", "MO");

    private static string? Normalise(string name, string value, out string error)
    {
        error = "";
        return name switch
        {
            "FREQ" => Frequencies.Contains(value) ? value
                : Fail(out error, $"FREQ must be one of {string.Join(", ", Frequencies)}, not '{value}'."),
            "UNTIL" => Until(value, out error),
            "COUNT" or "INTERVAL" => Digits().IsMatch(value) && int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n.ToString(CultureInfo.InvariantCulture)
                : Fail(out error, $"{name} must be a whole number from 1, not '{value}'."),
            "BYDAY" => List(name, value, WeekDay, out error),
            "WKST" => Days.Contains(value) ? value : Fail(out error, $"WKST must be a day such as MO, not '{value}'."),
            _ when NumberLists.TryGetValue(name, out var range) => List(name, value, item => Number(item, range), out error),
            _ => Fail(out error, $"{name} is not an RRULE part: use FREQ, INTERVAL, COUNT, UNTIL, WKST, BYDAY, "
                + $"{string.Join(", ", NumberLists.Keys)}."),
        };
    }

    /// <summary>A date or a date-time, floating or UTC, between the years 1900 and 9999 like a due date.</summary>
    private static string? Until(string value, out string error)
    {
        error = "";
        var basic = IsoUntil().Match(value) is { Success: true } iso
            ? iso.Groups["date"].Value.Replace("-", "", StringComparison.Ordinal)
                + (iso.Groups["time"].Success ? "T" + iso.Groups["time"].Value.Replace(":", "", StringComparison.Ordinal).PadRight(6, '0') : "")
                + iso.Groups["z"].Value
            : value;
        var utc = basic.EndsWith('Z');
        var body = utc ? basic[..^1] : basic;
        NodaTime.LocalDateTime? local = body.Length == 8
            ? BasicDate.Parse(body) is { Success: true } date && !utc ? date.Value.AtMidnight() : null
            : BasicDateTime.Parse(body) is { Success: true } dateTime ? dateTime.Value : null;
        return local is { Year: >= 1900 and <= 9999 }
            ? basic
            : Fail(out error, $"UNTIL must be a date (20270305 or 2027-03-05) or a date-time, 'Z' for UTC (20270305T090000Z), "
                + $"between the years 1900 and 9999, not '{value}'.");
    }

    private static string? WeekDay(string item)
    {
        var match = ByDayItem().Match(item);
        if (!match.Success || !Days.Contains(match.Groups["day"].Value))
            return null;
        if (!match.Groups["n"].Success)
            return match.Groups["day"].Value;
        var n = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        return n is 0 or < -53 or > 53 ? null : n.ToString(CultureInfo.InvariantCulture) + match.Groups["day"].Value;
    }

    private static string? Number(string item, (int Min, int Max) range) =>
        SignedNumber().IsMatch(item) && int.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
        && n >= range.Min && n <= range.Max && (n != 0 || range.Min == 0)
            ? n.ToString(CultureInfo.InvariantCulture)
            : null;

    private static string? List(string name, string value, Func<string, string?> item, out string error)
    {
        error = "";
        var items = value.Split(',').Select(i => (Text: i, Value: item(i))).ToList();
        if (items.FirstOrDefault(i => i.Value is null) is { Text: { } bad })
        {
            var allowed = NumberLists.TryGetValue(name, out var range)
                ? $"from {range.Min} to {range.Max}{(range.Min < 0 ? ", not 0" : "")}"
                : "a day (MO), or in a monthly or yearly rule a numbered one (1MO, -1FR)";
            return Fail(out error, $"{name} takes values {allowed}, not '{bad}'.");
        }
        return string.Join(',', items.Select(i => i.Value));
    }

    /// <summary>The combinations RFC 5545 rules out, which Ical.Net would otherwise expand in a way of its own.</summary>
    private static bool Consistent(Dictionary<string, string> parts, out string error)
    {
        error = "";
        if (!parts.TryGetValue("FREQ", out var frequency))
            return Refuse(out error, "FREQ is missing: a rule starts from it (FREQ=DAILY, FREQ=WEEKLY, ...).");
        if (parts.ContainsKey("COUNT") && parts.ContainsKey("UNTIL"))
            return Refuse(out error, "COUNT and UNTIL both end a series: give one of them.");
        if (parts.TryGetValue("BYDAY", out var days) && days.Any(char.IsDigit)
            && (frequency is not ("MONTHLY" or "YEARLY") || parts.ContainsKey("BYWEEKNO")))
            return Refuse(out error, "BYDAY takes a numbered day (1MO, -1FR) only in a monthly rule or a yearly one without BYWEEKNO.");
        if (parts.ContainsKey("BYMONTHDAY") && frequency == "WEEKLY")
            return Refuse(out error, "BYMONTHDAY does not go with FREQ=WEEKLY.");
        if (parts.ContainsKey("BYYEARDAY") && frequency is "DAILY" or "WEEKLY" or "MONTHLY")
            return Refuse(out error, $"BYYEARDAY does not go with FREQ={frequency}.");
        if (parts.ContainsKey("BYWEEKNO") && frequency != "YEARLY")
            return Refuse(out error, "BYWEEKNO goes with FREQ=YEARLY only.");
        if (parts.ContainsKey("BYSETPOS") && !parts.Keys.Any(k => k.StartsWith("BY", StringComparison.Ordinal) && k != "BYSETPOS"))
            return Refuse(out error, "BYSETPOS picks among the days another BY part gives, and there is none.");
        return true;
    }

    private static string? Fail(out string error, string message)
    {
        error = Invalid + message;
        return null;
    }

    private static bool Refuse(out string error, string message)
    {
        error = Invalid + message;
        return false;
    }

    [GeneratedRegex(@"^\d{1,9}$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^[+-]?\d{1,3}$")]
    private static partial Regex SignedNumber();

    [GeneratedRegex(@"^(?<n>[+-]?\d{1,2})?(?<day>[A-Z]{2})$", RegexOptions.ExplicitCapture)]
    private static partial Regex ByDayItem();

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})(?:T(?<time>\d{2}:\d{2}(?::\d{2})?))?(?<z>Z?)$", RegexOptions.ExplicitCapture)]
    private static partial Regex IsoUntil();
}
