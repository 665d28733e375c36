// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using NodaTime;
using TaskFlow.Components.Calendar;

namespace TaskFlow.UnitTests.Calendar;

/// <summary>
/// Each case: a series starting at a wall time (or, without a time, an all-day date) in a zone, the rule as written,
/// how many occurrences after the start to ask for, and what should come back, as "local wall time = instant in UTC"
/// (an all-day one as "date all day = instant in UTC", the end of its day; see <see cref="Dues"/>).
/// The instants were worked out by hand from the zones' offsets and DST dates.
/// </summary>
public class When_expanding_a_recurrence
{
    private static IEnumerable<TestCaseData> Series()
    {
        // Europe/Berlin: CET +01:00, CEST +02:00; 2027-03-28 02:00 jumps to 03:00, 2027-10-31 03:00 falls back to 02:00.
        yield return Case("Europe/Berlin", "2027-03-26T09:00", "daily", 3, "09:00 stays 09:00 across the spring-forward",
            "2027-03-27T09:00 = 2027-03-27T08:00Z", "2027-03-28T09:00 = 2027-03-28T07:00Z", "2027-03-29T09:00 = 2027-03-29T07:00Z");
        yield return Case("Europe/Berlin", "2027-10-29T09:00", "daily", 3, "09:00 stays 09:00 across the fall-back",
            "2027-10-30T09:00 = 2027-10-30T07:00Z", "2027-10-31T09:00 = 2027-10-31T08:00Z", "2027-11-01T09:00 = 2027-11-01T08:00Z");
        yield return Case("Europe/Berlin", "2027-03-27T02:30", "daily", 2, "02:30 skipped by the spring-forward falls due an hour later",
            "2027-03-28T02:30 = 2027-03-28T01:30Z", "2027-03-29T02:30 = 2027-03-29T00:30Z");
        yield return Case("Europe/Berlin", "2027-10-30T02:30", "daily", 2, "02:30 that happens twice takes the earlier",
            "2027-10-31T02:30 = 2027-10-31T00:30Z", "2027-11-01T02:30 = 2027-11-01T01:30Z");
        yield return Case("Europe/Berlin", "2027-03-28T00:00", "FREQ=HOURLY", 4, "hourly keeps one occurrence for the skipped hour and the next",
            "2027-03-28T01:00 = 2027-03-28T00:00Z", "2027-03-28T02:00 = 2027-03-28T01:00Z",
            "2027-03-28T04:00 = 2027-03-28T02:00Z", "2027-03-28T05:00 = 2027-03-28T03:00Z");
        yield return Case("Europe/Berlin", "2027-03-22T18:00", "weekly on mon,wed", 4, "weekly on two days across the spring-forward",
            "2027-03-24T18:00 = 2027-03-24T17:00Z", "2027-03-29T18:00 = 2027-03-29T16:00Z",
            "2027-03-31T18:00 = 2027-03-31T16:00Z", "2027-04-05T18:00 = 2027-04-05T16:00Z");
        yield return Case("Europe/Berlin", "2027-01-29T10:00", "monthly on the last friday", 3, "the last Friday of each month",
            "2027-02-26T10:00 = 2027-02-26T09:00Z", "2027-03-26T10:00 = 2027-03-26T09:00Z", "2027-04-30T10:00 = 2027-04-30T08:00Z");

        // America/New_York: EST -05:00, EDT -04:00; 2027-03-14 02:00 jumps to 03:00, 2027-11-07 02:00 falls back to 01:00.
        yield return Case("America/New_York", "2027-03-12T09:00", "daily", 3, "09:00 stays 09:00 across the spring-forward",
            "2027-03-13T09:00 = 2027-03-13T14:00Z", "2027-03-14T09:00 = 2027-03-14T13:00Z", "2027-03-15T09:00 = 2027-03-15T13:00Z");
        yield return Case("America/New_York", "2027-11-05T09:00", "daily", 3, "09:00 stays 09:00 across the fall-back",
            "2027-11-06T09:00 = 2027-11-06T13:00Z", "2027-11-07T09:00 = 2027-11-07T14:00Z", "2027-11-08T09:00 = 2027-11-08T14:00Z");
        yield return Case("America/New_York", "2027-03-13T02:30", "daily", 2, "02:30 skipped by the spring-forward falls due an hour later",
            "2027-03-14T02:30 = 2027-03-14T07:30Z", "2027-03-15T02:30 = 2027-03-15T06:30Z");
        yield return Case("America/New_York", "2027-11-07T00:00", "FREQ=HOURLY", 3, "hourly follows the wall clock, so the repeated hour comes once",
            "2027-11-07T01:00 = 2027-11-07T05:00Z", "2027-11-07T02:00 = 2027-11-07T07:00Z", "2027-11-07T03:00 = 2027-11-07T08:00Z");
        yield return Case("America/New_York", "2027-11-05T09:00", "weekdays", 3, "weekdays skip the weekend",
            "2027-11-08T09:00 = 2027-11-08T14:00Z", "2027-11-09T09:00 = 2027-11-09T14:00Z", "2027-11-10T09:00 = 2027-11-10T14:00Z");
        yield return Case("America/New_York", "2027-01-04T08:00", "every 2 weeks on mon,wed", 4, "every other week on two days",
            "2027-01-06T08:00 = 2027-01-06T13:00Z", "2027-01-18T08:00 = 2027-01-18T13:00Z",
            "2027-01-20T08:00 = 2027-01-20T13:00Z", "2027-02-01T08:00 = 2027-02-01T13:00Z");
        yield return Case("America/New_York", "2027-01-01T09:00", "FREQ=DAILY;UNTIL=20270105T120000Z", 10, "UNTIL in UTC is 07:00 local, before the 5th's 09:00",
            "2027-01-02T09:00 = 2027-01-02T14:00Z", "2027-01-03T09:00 = 2027-01-03T14:00Z", "2027-01-04T09:00 = 2027-01-04T14:00Z");
        yield return Case("America/New_York", "2027-01-01T09:00", "FREQ=DAILY;UNTIL=20270105T120000", 10, "local UNTIL is noon on the 5th, after its 09:00",
            "2027-01-02T09:00 = 2027-01-02T14:00Z", "2027-01-03T09:00 = 2027-01-03T14:00Z",
            "2027-01-04T09:00 = 2027-01-04T14:00Z", "2027-01-05T09:00 = 2027-01-05T14:00Z");

        // Australia/Sydney: AEST +10:00, AEDT +11:00; 2027-04-04 03:00 falls back to 02:00, 2027-10-03 02:00 jumps to 03:00.
        yield return Case("Australia/Sydney", "2027-04-02T09:00", "daily", 3, "09:00 stays 09:00 across the fall-back in April",
            "2027-04-03T09:00 = 2027-04-02T22:00Z", "2027-04-04T09:00 = 2027-04-03T23:00Z", "2027-04-05T09:00 = 2027-04-04T23:00Z");
        yield return Case("Australia/Sydney", "2027-10-01T09:00", "daily", 3, "09:00 stays 09:00 across the spring-forward in October",
            "2027-10-02T09:00 = 2027-10-01T23:00Z", "2027-10-03T09:00 = 2027-10-02T22:00Z", "2027-10-04T09:00 = 2027-10-03T22:00Z");
        yield return Case("Australia/Sydney", "2027-10-02T02:30", "daily", 2, "02:30 skipped by the spring-forward falls due an hour later",
            "2027-10-03T02:30 = 2027-10-02T16:30Z", "2027-10-04T02:30 = 2027-10-03T15:30Z");
        yield return Case("Australia/Sydney", "2027-04-03T02:30", "daily", 2, "02:30 that happens twice takes the earlier",
            "2027-04-04T02:30 = 2027-04-03T15:30Z", "2027-04-05T02:30 = 2027-04-04T16:30Z");
        yield return Case("Australia/Sydney", "2027-03-28T09:00", "weekly", 2, "weekly across the fall-back",
            "2027-04-04T09:00 = 2027-04-03T23:00Z", "2027-04-11T09:00 = 2027-04-10T23:00Z");
        yield return Case("Australia/Sydney", "2027-01-31T09:00", "monthly on day 31", 4, "the 31st skips months without one",
            "2027-03-31T09:00 = 2027-03-30T22:00Z", "2027-05-31T09:00 = 2027-05-30T23:00Z",
            "2027-07-31T09:00 = 2027-07-30T23:00Z", "2027-08-31T09:00 = 2027-08-30T23:00Z");

        // Asia/Kolkata: +05:30 all year.
        yield return Case("Asia/Kolkata", "2028-02-29T07:00", "yearly", 3, "29 February only in leap years",
            "2032-02-29T07:00 = 2032-02-29T01:30Z", "2036-02-29T07:00 = 2036-02-29T01:30Z", "2040-02-29T07:00 = 2040-02-29T01:30Z");
        yield return Case("Asia/Kolkata", "2027-01-01T09:00", "FREQ=DAILY;UNTIL=20270105T060000Z", 10, "UNTIL in UTC is 11:30 local, after the 5th's 09:00",
            "2027-01-02T09:00 = 2027-01-02T03:30Z", "2027-01-03T09:00 = 2027-01-03T03:30Z",
            "2027-01-04T09:00 = 2027-01-04T03:30Z", "2027-01-05T09:00 = 2027-01-05T03:30Z");
        yield return Case("Asia/Kolkata", "2027-01-01T09:00", "FREQ=DAILY;UNTIL=20270105T060000", 10, "local UNTIL is 06:00 on the 5th, before its 09:00",
            "2027-01-02T09:00 = 2027-01-02T03:30Z", "2027-01-03T09:00 = 2027-01-03T03:30Z", "2027-01-04T09:00 = 2027-01-04T03:30Z");
        yield return Case("Asia/Kolkata", "2027-01-04T09:00", "FREQ=WEEKLY;COUNT=3", 10, "COUNT includes the start itself",
            "2027-01-11T09:00 = 2027-01-11T03:30Z", "2027-01-18T09:00 = 2027-01-18T03:30Z");
        yield return Case("Asia/Kolkata", "2027-01-04T09:00", "every 2 weeks", 2, "every other week",
            "2027-01-18T09:00 = 2027-01-18T03:30Z", "2027-02-01T09:00 = 2027-02-01T03:30Z");
        yield return Case("Asia/Kolkata", "2027-01-15T09:00", "monthly on the 15th", 2, "a fixed day of the month",
            "2027-02-15T09:00 = 2027-02-15T03:30Z", "2027-03-15T09:00 = 2027-03-15T03:30Z");

        // UTC.
        yield return Case("UTC", "2027-01-31T09:00", "monthly", 6, "monthly from the 31st skips months without one",
            "2027-03-31T09:00 = 2027-03-31T09:00Z", "2027-05-31T09:00 = 2027-05-31T09:00Z", "2027-07-31T09:00 = 2027-07-31T09:00Z",
            "2027-08-31T09:00 = 2027-08-31T09:00Z", "2027-10-31T09:00 = 2027-10-31T09:00Z", "2027-12-31T09:00 = 2027-12-31T09:00Z");
        yield return Case("UTC", "2028-01-31T09:00", "monthly on the last day", 3, "the last day of the month, 29 February in a leap year",
            "2028-02-29T09:00 = 2028-02-29T09:00Z", "2028-03-31T09:00 = 2028-03-31T09:00Z", "2028-04-30T09:00 = 2028-04-30T09:00Z");
        yield return Case("UTC", "2027-01-29T09:00", "monthly on day 29", 2, "the 29th skips February in a common year",
            "2027-03-29T09:00 = 2027-03-29T09:00Z", "2027-04-29T09:00 = 2027-04-29T09:00Z");
        yield return Case("UTC", "2024-02-29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", 2, "all-day on 29 February only in leap years",
            "2028-02-29 all day = 2028-03-01T00:00Z", "2032-02-29 all day = 2032-03-01T00:00Z");
        yield return Case("UTC", "2027-12-10T09:00", "FREQ=WEEKLY;UNTIL=20271231", 10, "a date for UNTIL takes in that whole day",
            "2027-12-17T09:00 = 2027-12-17T09:00Z", "2027-12-24T09:00 = 2027-12-24T09:00Z", "2027-12-31T09:00 = 2027-12-31T09:00Z");
        yield return Case("UTC", "2027-01-01", "FREQ=DAILY;COUNT=3", 10, "an all-day series with COUNT",
            "2027-01-02 all day = 2027-01-03T00:00Z", "2027-01-03 all day = 2027-01-04T00:00Z");
        yield return Case("UTC", "2027-02-26T09:00", "every 3 days", 2, "every third day over a month end",
            "2027-03-01T09:00 = 2027-03-01T09:00Z", "2027-03-04T09:00 = 2027-03-04T09:00Z");
    }

    [TestCaseSource(nameof(Series))]
    public void Should_give_the_occurrences_in_the_zone(string zone, string start, string text, int count, string[] expected)
    {
        var first = Start(zone, start);
        Assert.That(RecurrenceRule.TryParse(text, first, out var rule, out var error), Is.True, error);

        var occurrences = RecurrenceDates.Occurrences(rule, first, first.Local, count);

        Assert.That(occurrences.Select(Show), Is.EqualTo(expected));
        Assert.That(occurrences.Select(o => o.TimeZone), Is.All.EqualTo(zone));
    }

    [Test]
    public void Should_give_only_occurrences_strictly_after_the_given_time()
    {
        var first = Start("UTC", "2027-01-01T09:00");

        var fromAnOccurrence = RecurrenceDates.Occurrences("FREQ=DAILY", first, new LocalDateTime(2027, 1, 3, 9, 0), 1);
        var fromJustBefore = RecurrenceDates.Occurrences("FREQ=DAILY", first, new LocalDateTime(2027, 1, 3, 8, 59), 1);

        Assert.That(fromAnOccurrence.Select(Show), Is.EqualTo(new[] { "2027-01-04T09:00 = 2027-01-04T09:00Z" }));
        Assert.That(fromJustBefore.Select(Show), Is.EqualTo(new[] { "2027-01-03T09:00 = 2027-01-03T09:00Z" }));
    }

    [Test]
    public void Should_count_COUNT_from_the_start_of_the_series()
    {
        var first = Start("UTC", "2027-01-01T09:00");

        var rest = RecurrenceDates.Occurrences("FREQ=DAILY;COUNT=5", first, new LocalDateTime(2027, 1, 3, 9, 0), 10);

        Assert.That(rest.Select(Show), Is.EqualTo(new[] { "2027-01-04T09:00 = 2027-01-04T09:00Z", "2027-01-05T09:00 = 2027-01-05T09:00Z" }));
        Assert.That(RecurrenceDates.NextAfter("FREQ=DAILY;COUNT=5", first, new LocalDateTime(2027, 1, 5, 9, 0)), Is.Null);
    }

    [Test]
    public void Should_go_on_from_an_occurrence_in_a_DST_gap_at_the_time_the_series_keeps()
    {
        var gapDay = Start("Europe/Berlin", "2027-03-28T02:30");

        var next = RecurrenceDates.NextAfter("FREQ=DAILY", gapDay, gapDay.Local);

        Assert.That(Show(gapDay), Is.EqualTo("2027-03-28T02:30 = 2027-03-28T01:30Z"));
        Assert.That(Show(next!), Is.EqualTo("2027-03-29T02:30 = 2027-03-29T00:30Z"));
    }

    [Test]
    public void Should_give_none_when_asked_for_none_and_refuse_a_negative_count()
    {
        var first = Start("UTC", "2027-01-01T09:00");

        Assert.That(RecurrenceDates.Occurrences("FREQ=DAILY", first, first.Local, 0), Is.Empty);
        Assert.That(() => RecurrenceDates.Occurrences("FREQ=DAILY", first, first.Local, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Should_keep_an_all_day_series_all_day()
    {
        var first = Start("UTC", "2026-01-31");

        var next = RecurrenceDates.NextAfter("FREQ=MONTHLY", first, first.Local);

        Assert.That(next!.AllDay, Is.True);
        Assert.That(next.DateText, Is.EqualTo("2026-03-31"), "RFC 5545 skips months without a 31st");
    }

    [Test]
    public void Should_skip_weekends_for_weekdays()
    {
        var friday = Start("Europe/Paris", "2026-12-04T09:00");

        var next = RecurrenceDates.NextAfter("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", friday, friday.Local);

        Assert.That(Show(next!), Is.EqualTo("2026-12-07T09:00 = 2026-12-07T08:00Z"));
    }

    private static TestCaseData Case(string zone, string start, string rule, int count, string what, params string[] expected) =>
        new TestCaseData(zone, start, rule, count, expected).SetName($"{zone}, {rule}: {what}");

    private static DueDate Start(string zone, string start) => Dues.Due(zone, start);

    private static string Show(DueDate occurrence) => Dues.Show(occurrence);
}
