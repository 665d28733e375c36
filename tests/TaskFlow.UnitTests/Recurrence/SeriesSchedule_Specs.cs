// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using TaskFlow.Components.Recurrence;
using TaskFlow.UnitTests.Calendar;

namespace TaskFlow.UnitTests.Recurrence;

/// <summary>
/// Each case: a series (zone, RRULE, first slot), the slot it filled last, the present instant, and the slot it should
/// fill next by schedule, as "local wall time = instant in UTC" (see <see cref="Dues"/>), or "none". The instants were
/// worked out by hand from the zones' offsets and DST dates.
/// </summary>
public class When_scheduling_the_next_occurrence_of_a_series
{
    private static IEnumerable<TestCaseData> Series()
    {
        // Europe/Paris: CET +01:00, CEST +02:00; 2027-03-28 02:00 jumps to 03:00, 2027-10-31 03:00 falls back to 02:00.
        yield return Case("Europe/Paris", "FREQ=DAILY", "2027-03-20T02:30", "2027-03-27T02:30", "2027-03-27T06:00Z",
            "02:30 keeps its wall time on the spring-forward day and falls due at 03:30 CEST", "2027-03-28T02:30 = 2027-03-28T01:30Z");
        yield return Case("Europe/Paris", "FREQ=DAILY", "2027-03-20T02:30", "2027-03-27T02:30", "2027-03-28T01:30Z",
            "a slot falling due at this very instant is passed over", "2027-03-29T02:30 = 2027-03-29T00:30Z");
        yield return Case("Europe/Paris", "FREQ=DAILY", "2027-10-25T02:30", "2027-10-30T02:30", "2027-10-30T12:00Z",
            "02:30 that happens twice on the fall-back day takes the earlier", "2027-10-31T02:30 = 2027-10-31T00:30Z");
        yield return Case("Europe/Paris", "FREQ=DAILY", "2027-10-25T02:30", "2027-10-30T02:30", "2027-10-31T01:00Z",
            "the earlier 02:30 has passed though the clock shows 02:00 again", "2027-11-01T02:30 = 2027-11-01T01:30Z");
        yield return Case("Europe/Paris", "FREQ=DAILY", "2027-03-25", "2027-03-27", "2027-03-27T10:00Z",
            "an all-day slot on the 23-hour day falls due at its end, midnight CEST", "2027-03-28 all day = 2027-03-28T22:00Z");
        yield return Case("Europe/Paris", "FREQ=DAILY", "2027-03-20", "2027-03-20", "2027-03-27T22:30Z",
            "an all-day slot is not due until its day is over; the days before are passed over", "2027-03-27 all day = 2027-03-27T23:00Z");
        yield return Case("Europe/Paris", "FREQ=WEEKLY", "2027-05-12T18:00", "2027-05-03T09:00", "2027-05-05T10:00Z",
            "a start later than the last slot and still ahead comes first", "2027-05-12T18:00 = 2027-05-12T16:00Z");
        yield return Case("Europe/Paris", "FREQ=WEEKLY", "2027-05-12T18:00", "2027-05-03T09:00", "2027-05-12T16:00Z",
            "a later start falling due at this very instant is passed over", "2027-05-19T18:00 = 2027-05-19T16:00Z");
        yield return Case("Europe/Paris", "FREQ=WEEKLY", "2027-05-12T18:00", "2027-05-03T09:00", "2027-05-20T12:00Z",
            "a later start already due is passed over with the slots after it that are due", "2027-05-26T18:00 = 2027-05-26T16:00Z");
        yield return Case("Europe/Paris", "FREQ=WEEKLY", "2027-05-12", "2027-05-01", "2027-05-12T20:00Z",
            "a later all-day start is still ahead until its day is over", "2027-05-12 all day = 2027-05-12T22:00Z");

        // America/New_York: EST -05:00, EDT -04:00; 2027-03-14 02:00 jumps to 03:00, 2027-11-07 02:00 falls back to 01:00.
        yield return Case("America/New_York", "FREQ=DAILY", "2027-01-04T09:00", "2027-01-05T09:00", "2027-06-15T12:00Z",
            "months of missed slots are passed over, not piled up", "2027-06-15T09:00 = 2027-06-15T13:00Z");
        yield return Case("America/New_York", "FREQ=HOURLY", "2027-11-06T00:00", "2027-11-06T00:00", "2027-11-07T05:30Z",
            "a day of past hours is passed over and the repeated hour has no slot of its own", "2027-11-07T02:00 = 2027-11-07T07:00Z");
        yield return Case("America/New_York", "FREQ=DAILY", "2027-11-01", "2027-11-06", "2027-11-06T12:00Z",
            "an all-day slot on the 25-hour day falls due at midnight EST", "2027-11-07 all day = 2027-11-08T05:00Z");
        yield return Case("America/New_York", "FREQ=DAILY;UNTIL=20270105T120000Z", "2027-01-01T09:00", "2027-01-04T09:00", "2027-01-04T15:00Z",
            "UNTIL in UTC is 07:00 local, before the 5th's 09:00", "none");
        yield return Case("America/New_York", "FREQ=DAILY;UNTIL=20270105T120000", "2027-01-01T09:00", "2027-01-04T09:00", "2027-01-04T15:00Z",
            "local UNTIL is noon on the 5th, after its 09:00", "2027-01-05T09:00 = 2027-01-05T14:00Z");
        yield return Case("America/New_York", "FREQ=DAILY", "2027-01-01T09:00", "2027-01-01T09:00", "2026-12-01T00:00Z",
            "the start, filled already, is not given again while it is still ahead", "2027-01-02T09:00 = 2027-01-02T14:00Z");

        // Australia/Sydney: AEST +10:00, AEDT +11:00; 2027-04-04 03:00 falls back to 02:00, 2027-10-03 02:00 jumps to 03:00.
        yield return Case("Australia/Sydney", "FREQ=DAILY", "2027-09-28T02:30", "2027-10-02T02:30", "2027-10-02T00:00Z",
            "02:30 skipped by the spring-forward in October falls due an hour later", "2027-10-03T02:30 = 2027-10-02T16:30Z");
        yield return Case("Australia/Sydney", "FREQ=DAILY", "2027-04-01T02:30", "2027-04-03T02:30", "2027-04-03T00:00Z",
            "02:30 that happens twice in April takes the earlier", "2027-04-04T02:30 = 2027-04-03T15:30Z");
        yield return Case("Australia/Sydney", "FREQ=WEEKLY", "2027-01-04T09:00", "2027-01-04T09:00", "2028-02-01T00:00Z",
            "a year of missed Mondays is passed over", "2028-02-07T09:00 = 2028-02-06T22:00Z");

        // Asia/Kolkata: +05:30 all year.
        yield return Case("Asia/Kolkata", "FREQ=WEEKLY;INTERVAL=2", "2027-01-04T09:00", "2027-01-04T09:00", "2027-01-20T00:00Z",
            "every 2 weeks passes over the fortnight that went by", "2027-02-01T09:00 = 2027-02-01T03:30Z");
        yield return Case("Asia/Kolkata", "FREQ=DAILY;UNTIL=20270105T060000Z", "2027-01-01T09:00", "2027-01-04T09:00", "2027-01-04T04:00Z",
            "UNTIL in UTC is 11:30 local, after the 5th's 09:00", "2027-01-05T09:00 = 2027-01-05T03:30Z");

        // UTC.
        yield return Case("UTC", "FREQ=DAILY;COUNT=5", "2027-01-01T09:00", "2027-01-03T09:00", "2027-01-03T10:00Z",
            "COUNT not reached yet", "2027-01-04T09:00 = 2027-01-04T09:00Z");
        yield return Case("UTC", "FREQ=DAILY;COUNT=5", "2027-01-01T09:00", "2027-01-05T09:00", "2027-01-05T10:00Z",
            "COUNT reached", "none");
        yield return Case("UTC", "FREQ=DAILY;COUNT=5", "2027-01-01T09:00", "2027-01-02T09:00", "2027-02-01T00:00Z",
            "the slots COUNT leaves are all past", "none");
        yield return Case("UTC", "FREQ=DAILY;COUNT=45", "2027-01-01T09:00", "2027-01-02T09:00", "2027-02-14T08:00Z",
            "COUNT still counts from the start when the slots before now are passed over", "2027-02-14T09:00 = 2027-02-14T09:00Z");
        yield return Case("UTC", "FREQ=DAILY;COUNT=45", "2027-01-01T09:00", "2027-01-02T09:00", "2027-02-14T09:00Z",
            "the last slot COUNT allows is due", "none");
        yield return Case("UTC", "FREQ=MONTHLY", "2027-01-31T09:00", "2027-01-31T09:00", "2027-04-01T00:00Z",
            "monthly from the 31st: March has passed and April has no 31st", "2027-05-31T09:00 = 2027-05-31T09:00Z");
    }

    [TestCaseSource(nameof(Series))]
    public void Should_give_the_first_slot_after_the_last_one_that_is_not_yet_due(string zone, string rule, string start, string after, string now, string expected)
    {
        var series = NewSeries.In(zone, rule, start);

        var next = SeriesSchedule.NextBySchedule(series, Dues.Local(after).ToDateTimeUnspecified(), Dues.Instant(now));

        Assert.That(Dues.Show(next), Is.EqualTo(expected));
        if (next is not null)
            Assert.That(next.TimeZone, Is.EqualTo(zone));
    }

    private static TestCaseData Case(string zone, string rule, string start, string after, string now, string what, string expected) =>
        new TestCaseData(zone, rule, start, after, now, expected).SetName($"{zone}, {rule}: {what}");
}

public class When_repeating_a_series_from_completion
{
    [TestCase(1, "2027-01-18T09:00 = 2027-01-18T08:00Z")]
    [TestCase(2, "none")]
    public void Should_count_COUNT_with_the_occurrences_the_series_created(int created, string expected)
    {
        var series = NewSeries.In("Europe/Paris", "FREQ=WEEKLY;COUNT=2", "2027-01-04T09:00");
        series.CreatedCount = created;

        var next = SeriesSchedule.NextAfterCompletion(series, Dues.Instant("2027-01-11T16:00+01:00"));

        Assert.That(Dues.Show(next), Is.EqualTo(expected));
    }

    [Test]
    public void Should_keep_the_series_time_of_day_and_zone()
    {
        var series = NewSeries.In("America/New_York", "FREQ=DAILY;INTERVAL=2", "2027-03-01T07:15");

        var next = SeriesSchedule.NextAfterCompletion(series, Dues.Instant("2027-03-12T21:40-05:00"));

        Assert.That(Dues.Show(next), Is.EqualTo("2027-03-14T07:15 = 2027-03-14T11:15Z"), "07:15 EDT on the spring-forward day");
        Assert.That(next!.TimeZone, Is.EqualTo("America/New_York"));
    }

    [Test]
    public void Should_keep_an_all_day_series_all_day()
    {
        var series = NewSeries.In("Australia/Sydney", "FREQ=WEEKLY", "2027-09-27");

        var next = SeriesSchedule.NextAfterCompletion(series, Dues.Instant("2027-09-27T23:00+10:00"));

        Assert.That(Dues.Show(next), Is.EqualTo("2027-10-04 all day = 2027-10-04T13:00Z"), "the end of 4 October is midnight AEDT");
    }
}
