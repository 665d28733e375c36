// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using TaskFlow.Components.Calendar;

namespace TaskFlow.UnitTests.Calendar;

public class When_telling_whether_a_rule_is_a_plain_interval
{
    [TestCase("FREQ=DAILY")]
    [TestCase("FREQ=DAILY;INTERVAL=3")]
    [TestCase("FREQ=WEEKLY;INTERVAL=2")]
    [TestCase("FREQ=MONTHLY;COUNT=5")]
    [TestCase("FREQ=YEARLY;UNTIL=20301231")]
    [TestCase("FREQ=HOURLY;INTERVAL=4;UNTIL=20271231T120000Z")]
    [TestCase("RRULE:FREQ=WEEKLY")]
    public void Should_count_FREQ_and_INTERVAL_ended_by_COUNT_or_UNTIL_as_one(string rule)
    {
        Assert.That(RecurrenceRule.IsFixedInterval(rule), Is.True);
    }

    [TestCase("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")]
    [TestCase("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE")]
    [TestCase("FREQ=MONTHLY;BYDAY=-1FR")]
    [TestCase("FREQ=MONTHLY;BYMONTHDAY=15")]
    [TestCase("FREQ=YEARLY;BYMONTH=1,7")]
    [TestCase("FREQ=YEARLY;BYYEARDAY=100")]
    [TestCase("FREQ=YEARLY;BYWEEKNO=20")]
    [TestCase("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")]
    [TestCase("FREQ=DAILY;BYHOUR=9,17")]
    [TestCase("FREQ=HOURLY;BYMINUTE=0,30")]
    [TestCase("FREQ=MINUTELY;BYSECOND=0")]
    [TestCase("RRULE:FREQ=DAILY;COUNT=5;BYMONTH=6")]
    public void Should_not_count_a_rule_that_picks_days_or_times(string rule)
    {
        Assert.That(RecurrenceRule.IsFixedInterval(rule), Is.False);
    }
}

/// <summary>
/// Each case: a series (zone, RRULE, first slot as <see cref="Dues"/> writes it), when its latest occurrence was completed
/// (with the offset of the series' zone at that moment, so the day is the one its owner saw), how many occurrences exist,
/// and the occurrence that should follow, as "local wall time = instant in UTC", or "none". Worked out by hand.
/// </summary>
public class When_counting_the_next_occurrence_from_a_completion
{
    private static IEnumerable<TestCaseData> Completions()
    {
        // Europe/Paris: CET +01:00, CEST +02:00; 2027-03-28 02:00 jumps to 03:00, 2027-10-31 03:00 falls back to 02:00.
        yield return Case("Europe/Paris", "FREQ=MONTHLY", "2028-01-10T09:00", "2028-01-31T18:00+01:00", 1,
            "31 January plus a month is 29 February in a leap year", "2028-02-29T09:00 = 2028-02-29T08:00Z");
        yield return Case("Europe/Paris", "FREQ=MONTHLY", "2027-01-10T09:00", "2027-01-31T18:00+01:00", 1,
            "31 January plus a month is 28 February in a common year", "2027-02-28T09:00 = 2027-02-28T08:00Z");
        yield return Case("Europe/Paris", "FREQ=DAILY", "2027-03-20T02:30", "2027-03-27T08:00+01:00", 1,
            "02:30 skipped by the spring-forward falls due an hour later", "2027-03-28T02:30 = 2027-03-28T01:30Z");
        yield return Case("Europe/Paris", "FREQ=DAILY", "2027-10-25T02:30", "2027-10-30T10:00+02:00", 1,
            "02:30 that happens twice takes the earlier", "2027-10-31T02:30 = 2027-10-31T00:30Z");
        yield return Case("Europe/Paris", "FREQ=DAILY;INTERVAL=3", "2027-02-01T07:45", "2027-02-26T23:30+01:00", 5,
            "every 3 days from a late completion, over a month end", "2027-03-01T07:45 = 2027-03-01T06:45Z");
        yield return Case("Europe/Paris", "FREQ=HOURLY;INTERVAL=3", "2027-05-10T09:00", "2027-05-10T10:20+02:00", 1,
            "hourly counts from the completion instant, minutes and all", "2027-05-10T13:20 = 2027-05-10T11:20Z");
        yield return Case("Europe/Paris", "FREQ=HOURLY", "2027-03-27T09:00", "2027-03-28T01:30+01:00", 1,
            "an hour after 01:30 CET on the spring-forward day is 03:30 CEST", "2027-03-28T03:30 = 2027-03-28T01:30Z");
        yield return Case("Europe/Paris", "FREQ=HOURLY", "2027-10-30T09:00", "2027-10-31T02:30+02:00", 1,
            "an hour after 02:30 CEST on the fall-back day is 02:30 CET, the later of the two", "2027-10-31T02:30 = 2027-10-31T01:30Z");
        yield return Case("Europe/Paris", "FREQ=WEEKLY", "2027-03-22", "2027-03-23T21:00+01:00", 1,
            "an all-day series stays all day, due at the end of its day", "2027-03-30 all day = 2027-03-30T22:00Z");

        // America/New_York: EST -05:00, EDT -04:00; 2027-11-07 02:00 falls back to 01:00.
        yield return Case("America/New_York", "FREQ=YEARLY", "2027-03-01T07:00", "2028-02-29T20:00-05:00", 1,
            "a year after 29 February is 28 February", "2029-02-28T07:00 = 2029-02-28T12:00Z");
        yield return Case("America/New_York", "FREQ=DAILY", "2027-01-04T09:00", "2027-01-15T23:30-05:00", 1,
            "the completion day is the zone's, a day behind UTC's late in the evening", "2027-01-16T09:00 = 2027-01-16T14:00Z");
        yield return Case("America/New_York", "FREQ=MONTHLY", "2028-01-31", "2028-01-31T15:00-05:00", 1,
            "an all-day month from 31 January ends on 29 February", "2028-02-29 all day = 2028-03-01T05:00Z");
        yield return Case("America/New_York", "FREQ=DAILY", "2027-11-01", "2027-11-06T22:00-04:00", 1,
            "an all-day slot on the 25-hour day ends at midnight EST", "2027-11-07 all day = 2027-11-08T05:00Z");
        yield return Case("America/New_York", "FREQ=DAILY;UNTIL=20270105T120000Z", "2027-01-01T09:00", "2027-01-03T10:00-05:00", 3,
            "before an UNTIL in UTC", "2027-01-04T09:00 = 2027-01-04T14:00Z");
        yield return Case("America/New_York", "FREQ=DAILY;UNTIL=20270105T120000Z", "2027-01-01T09:00", "2027-01-04T10:00-05:00", 4,
            "UNTIL in UTC is 07:00 local, before the 5th's 09:00", "none");

        // Australia/Sydney: AEST +10:00, AEDT +11:00; 2029-04-01 03:00 falls back to 02:00.
        yield return Case("Australia/Sydney", "FREQ=DAILY", "2027-06-01T09:00", "2027-07-01T00:30+10:00", 1,
            "the completion day is the zone's, a day ahead of UTC's just after midnight", "2027-07-02T09:00 = 2027-07-01T23:00Z");
        yield return Case("Australia/Sydney", "FREQ=YEARLY;INTERVAL=2", "2027-04-04T09:00", "2027-04-04T12:00+10:00", 1,
            "every 2 years, in standard time again", "2029-04-04T09:00 = 2029-04-03T23:00Z");

        // Asia/Kolkata: +05:30 all year.
        yield return Case("Asia/Kolkata", "FREQ=WEEKLY;INTERVAL=2", "2027-01-04T09:00", "2027-01-06T15:00+05:30", 1,
            "every 2 weeks from a Wednesday completion, not from the Monday of the start", "2027-01-20T09:00 = 2027-01-20T03:30Z");
        yield return Case("Asia/Kolkata", "FREQ=DAILY;UNTIL=20270105T060000", "2027-01-01T09:00", "2027-01-04T10:00+05:30", 4,
            "local UNTIL is 06:00 on the 5th, before its 09:00", "none");

        // UTC.
        yield return Case("UTC", "FREQ=DAILY;COUNT=3", "2027-01-01T09:00", "2027-01-02T10:00Z", 2,
            "COUNT not reached yet", "2027-01-03T09:00 = 2027-01-03T09:00Z");
        yield return Case("UTC", "FREQ=DAILY;COUNT=3", "2027-01-01T09:00", "2027-01-03T10:00Z", 3,
            "COUNT reached", "none");
        yield return Case("UTC", "FREQ=DAILY;COUNT=3", "2027-01-01T09:00", "2027-01-03T10:00Z", 4,
            "COUNT passed", "none");
        yield return Case("UTC", "FREQ=WEEKLY;UNTIL=20270131", "2027-01-04T09:00", "2027-01-24T10:00Z", 3,
            "a date for UNTIL takes in that whole day", "2027-01-31T09:00 = 2027-01-31T09:00Z");
        yield return Case("UTC", "FREQ=WEEKLY;UNTIL=20270131", "2027-01-04T09:00", "2027-01-25T10:00Z", 4,
            "a week after the 25th is past the UNTIL date", "none");
        yield return Case("UTC", "FREQ=HOURLY;INTERVAL=2;UNTIL=20270101T120000Z", "2027-01-01T08:00", "2027-01-01T09:30Z", 2,
            "two hours from the completion, before UNTIL", "2027-01-01T11:30 = 2027-01-01T11:30Z");
        yield return Case("UTC", "FREQ=HOURLY;INTERVAL=2;UNTIL=20270101T120000Z", "2027-01-01T08:00", "2027-01-01T10:30Z", 2,
            "two hours from the completion, past UNTIL", "none");
    }

    [TestCaseSource(nameof(Completions))]
    public void Should_add_the_interval_to_the_completion_day_at_the_series_time(
        string zone, string rule, string start, string completed, int occurrencesSoFar, string expected)
    {
        var first = Dues.Due(zone, start);

        var next = RecurrenceDates.AfterCompletion(rule, first, Dues.Instant(completed), occurrencesSoFar);

        Assert.That(Dues.Show(next), Is.EqualTo(expected));
        if (next is not null)
            Assert.That(next.TimeZone, Is.EqualTo(zone));
    }

    private static TestCaseData Case(string zone, string rule, string start, string completed, int occurrencesSoFar, string what, string expected) =>
        new TestCaseData(zone, rule, start, completed, occurrencesSoFar, expected).SetName($"{zone}, {rule}: {what}");
}
