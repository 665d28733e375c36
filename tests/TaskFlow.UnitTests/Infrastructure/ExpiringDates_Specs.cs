using System.Globalization;
using System.Text.RegularExpressions;
using TaskFlow.Testing;

namespace TaskFlow.UnitTests.Infrastructure;

/// <summary>
/// A literal date between today and 2100 in a spec runs against a clock that will pass it: a due date that is "in the
/// future" today turns overdue, a reminder turns skipped, and the spec fails on a day nobody chose. Dates already past
/// stay past, and dates from 2100 on outlive the code, so only the window between is refused. A spec whose dates never
/// meet the real clock (a pure function given its instant, a FakeTimeProvider) says so with a "// fixed dates: why"
/// comment at the top of the file, or "// fixed date: why" at the end of one line; a file with the top comment must not
/// read the real clock itself.
/// </summary>
public partial class When_reading_the_specs_for_dates_that_expire
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Test]
    public void Should_find_no_date_between_today_and_2100_outside_a_fixed_clock()
    {
        var expiring = SpecSources().SelectMany(ExpiringDates).ToList();

        Assert.That(expiring, Is.Empty, () => "move these past 2100 or compute them from the clock; 400 years on "
            + $"a date keeps its weekday, leap year and daylight-saving changes:\n{string.Join("\n", expiring)}");
    }

    [Test]
    public void Should_not_let_a_file_on_a_fixed_clock_read_the_real_one()
    {
        var readingTheClock = SpecSources()
            .Where(file => FixedFile().IsMatch(File.ReadAllText(file)) && RealClock().IsMatch(File.ReadAllText(file)))
            .Select(Relative);

        Assert.That(readingTheClock, Is.Empty, "a \"// fixed dates:\" file must take its time from the spec, not the machine");
    }

    [TestCase("due = new { dateTime = \"2031-05-06T09:30\" }", true)]
    [TestCase("new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero)", true)]
    [TestCase("private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);", true)]
    [TestCase("?dueAfter=2025-01-01&dueBefore=2130-02-01T00:00:00Z", false)]
    [TestCase("due = new { dateTime = \"2020-01-01T10:00\" }", false)]
    [TestCase("due = new { dateTime = \"2126-03-28T02:30\" }", false)]
    [TestCase("\"2027-03-28T02:30\", // fixed date: refused before the clock matters", false)]
    [TestCase("new TimeSpan(2027, 3, 1)", false)]
    public void Should_tell_an_expiring_date_from_one_that_cannot_expire(string line, bool expires) =>
        Assert.That(ExpiringOn(line).Any(), Is.EqualTo(expires));

    private static IEnumerable<string> SpecSources()
    {
        var tests = Path.Combine(Repository.Root, "tests");
        return Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(file => !Relative(file).Split('/').Any(part => part is "bin" or "obj"))
            .Where(file => Path.GetFileName(file) != "ExpiringDates_Specs.cs"); // its own cases are dates on purpose
    }

    private static IEnumerable<string> ExpiringDates(string file)
    {
        var text = File.ReadAllText(file);
        if (FixedFile().IsMatch(text))
            return [];
        return text.Split('\n').SelectMany((line, index) => ExpiringOn(line).Select(date => $"{Relative(file)}:{index + 1}: {date:yyyy-MM-dd}"));
    }

    private static IEnumerable<DateOnly> ExpiringOn(string line)
    {
        if (line.Contains("// fixed date:", StringComparison.Ordinal))
            yield break;
        foreach (var match in IsoDate().Matches(line).Concat(ConstructedDate().Matches(line)))
        {
            if (!int.TryParse(match.Groups["y"].Value, CultureInfo.InvariantCulture, out var year)
                || !int.TryParse(match.Groups["m"].Value, CultureInfo.InvariantCulture, out var month)
                || !int.TryParse(match.Groups["d"].Value, CultureInfo.InvariantCulture, out var day)
                || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
                continue;
            var date = new DateOnly(year, month, day);
            if (date >= Today && year < 2100)
                yield return date;
        }
    }

    private static string Relative(string file) => Path.GetRelativePath(Repository.Root, file).Replace('\\', '/');

    [GeneratedRegex(@"(?<![\d-])(?<y>2\d{3})-(?<m>\d{2})-(?<d>\d{2})(?!\d)")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"new\s*(?:DateTime|DateTimeOffset|DateOnly)?\s*\(\s*(?<y>2\d{3})\s*,\s*(?<m>\d{1,2})\s*,\s*(?<d>\d{1,2})\b")]
    private static partial Regex ConstructedDate();

    [GeneratedRegex(@"^// fixed dates: ", RegexOptions.Multiline)]
    private static partial Regex FixedFile();

    [GeneratedRegex(@"\b(?:DateTime(?:Offset)?\.(?:UtcNow|Now|Today)|TimeProvider\.System|SystemClock)\b")]
    private static partial Regex RealClock();
}
