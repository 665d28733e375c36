using NodaTime;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>The words the readers share: days of the week and months, longest spelling first so a regex takes all of it.</summary>
internal static class Words
{
    public const string Day = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun";

    public const string Month =
        "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";

    /// <summary>Where a phrase may start and end: not inside a word, nor at its apostrophe ("today's" is no date).</summary>
    public const string Start = @"(?<![\p{L}\p{N}'’])";

    public const string End = @"(?![\p{L}\p{N}'’])";

    /// <summary>A word or number of things, "3", "a", "an" or "one".</summary>
    public const string Count = @"\d{1,4}|an?|one";

    public static IsoDayOfWeek DayOfWeek(string word) => word.ToLowerInvariant()[..2] switch
    {
        "mo" => IsoDayOfWeek.Monday,
        "tu" => IsoDayOfWeek.Tuesday,
        "we" => IsoDayOfWeek.Wednesday,
        "th" => IsoDayOfWeek.Thursday,
        "fr" => IsoDayOfWeek.Friday,
        "sa" => IsoDayOfWeek.Saturday,
        _ => IsoDayOfWeek.Sunday,
    };

    public static int MonthNumber(string word) =>
        Array.FindIndex(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
            prefix => word.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) + 1;

    public static int Number(string word) => word.ToLowerInvariant() switch
    {
        "a" or "an" or "one" => 1,
        var digits => int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture),
    };
}
