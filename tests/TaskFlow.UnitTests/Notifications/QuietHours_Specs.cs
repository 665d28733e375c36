// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using NodaTime;
using TaskFlow.Components.Notifications;

namespace TaskFlow.UnitTests.Notifications;

public class When_deciding_whether_an_instant_falls_in_quiet_hours
{
    private static readonly QuietHours Night = new(new TimeOnly(22, 0), new TimeOnly(7, 0));

    [TestCase("2027-01-15T08:59:59Z", false)]
    [TestCase("2027-01-15T09:00:00Z", true, TestName = "{m}(the start is inside)")]
    [TestCase("2027-01-15T16:59:59Z", true)]
    [TestCase("2027-01-15T17:00:00Z", false, TestName = "{m}(the end is outside)")]
    public void Should_cover_a_daytime_span_from_its_start_up_to_its_end(string instant, bool quiet)
    {
        var office = new QuietHours(new TimeOnly(9, 0), new TimeOnly(17, 0));

        Assert.That(office.Covers(At(instant), Zone("UTC")), Is.EqualTo(quiet));
    }

    // Paris is at +01:00 in January.
    [TestCase("2027-01-15T20:59:59Z", false)]
    [TestCase("2027-01-15T21:00:00Z", true)]
    [TestCase("2027-01-15T22:59:59Z", true, TestName = "{m}(just before midnight)")]
    [TestCase("2027-01-15T23:00:00Z", true, TestName = "{m}(midnight)")]
    [TestCase("2027-01-16T05:59:59Z", true)]
    [TestCase("2027-01-16T06:00:00Z", false)]
    [TestCase("2027-01-16T11:00:00Z", false, TestName = "{m}(noon)")]
    public void Should_wrap_midnight_when_the_span_ends_earlier_than_it_starts(string instant, bool quiet) =>
        Assert.That(Night.Covers(At(instant), Zone("Europe/Paris")), Is.EqualTo(quiet));

    [Test]
    public void Should_end_at_midnight_when_the_end_is_00_00()
    {
        var evening = new QuietHours(new TimeOnly(22, 0), TimeOnly.MinValue);

        Assert.Multiple(() =>
        {
            Assert.That(evening.Covers(At("2027-01-15T23:59:59Z"), Zone("UTC")), Is.True);
            Assert.That(evening.Covers(At("2027-01-16T00:00:00Z"), Zone("UTC")), Is.False);
        });
    }

    [Test]
    public void Should_refuse_a_span_that_ends_when_it_starts() =>
        Assert.Throws<ArgumentException>(() => _ = new QuietHours(new TimeOnly(22, 0), new TimeOnly(22, 0)));

    // Tokyo is at +09:00 all year; New York at -05:00 in January.
    [TestCase("Asia/Tokyo", "2027-01-15T12:59:59Z", false)]
    [TestCase("Asia/Tokyo", "2027-01-15T13:00:00Z", true)]
    [TestCase("Asia/Tokyo", "2027-01-15T21:59:59Z", true)]
    [TestCase("Asia/Tokyo", "2027-01-15T22:00:00Z", false)]
    [TestCase("Asia/Kolkata", "2027-01-15T16:29:59Z", false, TestName = "{m}(Kolkata, half an hour off the hour)")]
    [TestCase("Asia/Kolkata", "2027-01-15T16:30:00Z", true, TestName = "{m}(Kolkata at 22:00)")]
    [TestCase("America/New_York", "2027-01-16T02:59:59Z", false)]
    [TestCase("America/New_York", "2027-01-16T03:00:00Z", true)]
    [TestCase("America/New_York", "2027-01-16T11:59:59Z", true)]
    [TestCase("America/New_York", "2027-01-16T12:00:00Z", false)]
    public void Should_read_the_span_on_the_clock_of_zones_east_and_west_of_UTC(string zone, string instant, bool quiet) =>
        Assert.That(Night.Covers(At(instant), Zone(zone)), Is.EqualTo(quiet));

    [Test]
    public void Should_answer_differently_for_the_same_instant_in_different_zones()
    {
        var instant = At("2027-01-15T13:30:00Z");

        Assert.Multiple(() =>
        {
            Assert.That(Night.Covers(instant, Zone("Asia/Tokyo")), Is.True, "22:30 in Tokyo");
            Assert.That(Night.Covers(instant, Zone("America/New_York")), Is.False, "08:30 in New York");
        });
    }

    // Paris jumps from 02:00 to 03:00 on 2027-03-28: 22:00 (+01:00) to 07:00 (+02:00) is eight hours that night.
    [TestCase("2027-03-27T20:59:59Z", false)]
    [TestCase("2027-03-27T21:00:00Z", true)]
    [TestCase("2027-03-28T00:59:59Z", true, TestName = "{m}(01:59:59, just before the jump)")]
    [TestCase("2027-03-28T01:00:00Z", true, TestName = "{m}(03:00, just after it)")]
    [TestCase("2027-03-28T04:59:59Z", true)]
    [TestCase("2027-03-28T05:00:00Z", false, TestName = "{m}(07:00 summer time)")]
    public void Should_follow_the_clock_across_the_spring_transition(string instant, bool quiet) =>
        Assert.That(Night.Covers(At(instant), Zone("Europe/Paris")), Is.EqualTo(quiet));

    [Test]
    public void Should_skip_a_span_inside_the_hour_the_clocks_jump_and_start_a_span_beginning_there_after_the_jump()
    {
        var skipped = new QuietHours(new TimeOnly(2, 15), new TimeOnly(2, 45));
        var fromTheGap = new QuietHours(new TimeOnly(2, 30), new TimeOnly(6, 0));
        var paris = Zone("Europe/Paris");

        Assert.Multiple(() =>
        {
            Assert.That(skipped.Covers(At("2027-03-28T00:59:59Z"), paris), Is.False, "01:59:59");
            Assert.That(skipped.Covers(At("2027-03-28T01:00:00Z"), paris), Is.False, "03:00: 02:15-02:45 did not happen");
            Assert.That(skipped.Covers(At("2027-03-29T00:30:00Z"), paris), Is.True, "02:30 the next night");
            Assert.That(fromTheGap.Covers(At("2027-03-28T00:59:59Z"), paris), Is.False, "01:59:59");
            Assert.That(fromTheGap.Covers(At("2027-03-28T01:00:00Z"), paris), Is.True, "03:00, the first time of day past its start");
        });
    }

    // Paris goes back from 03:00 (+02:00) to 02:00 (+01:00) on 2026-10-25: 02:00-03:00 happens twice.
    [TestCase("2026-10-24T23:59:59Z", false, TestName = "{m}(01:59:59 summer time)")]
    [TestCase("2026-10-25T00:00:00Z", true, TestName = "{m}(02:00 summer time)")]
    [TestCase("2026-10-25T00:59:59Z", true)]
    [TestCase("2026-10-25T01:00:00Z", true, TestName = "{m}(02:00 again, winter time)")]
    [TestCase("2026-10-25T01:59:59Z", true)]
    [TestCase("2026-10-25T02:00:00Z", false, TestName = "{m}(03:00 winter time)")]
    public void Should_be_quiet_both_times_through_an_hour_the_autumn_transition_repeats(string instant, bool quiet)
    {
        var repeated = new QuietHours(new TimeOnly(2, 0), new TimeOnly(3, 0));

        Assert.That(repeated.Covers(At(instant), Zone("Europe/Paris")), Is.EqualTo(quiet));
    }

    // 22:00 (+02:00) to 07:00 (+01:00) is ten hours that night.
    [TestCase("2026-10-24T19:59:59Z", false, TestName = "{m}(21:59:59 summer time)")]
    [TestCase("2026-10-24T20:00:00Z", true, TestName = "{m}(22:00 summer time)")]
    [TestCase("2026-10-25T05:59:59Z", true, TestName = "{m}(06:59:59 winter time)")]
    [TestCase("2026-10-25T06:00:00Z", false, TestName = "{m}(07:00 winter time)")]
    public void Should_follow_the_clock_across_the_autumn_transition(string instant, bool quiet) =>
        Assert.That(Night.Covers(At(instant), Zone("Europe/Paris")), Is.EqualTo(quiet));

    // New York jumps from 02:00 to 03:00 on 2027-03-14: west of UTC, on another date than Europe.
    [TestCase("2027-03-14T06:59:59Z", true, TestName = "{m}(01:59:59 standard time)")]
    [TestCase("2027-03-14T07:00:00Z", true, TestName = "{m}(03:00 daylight time)")]
    [TestCase("2027-03-14T10:59:59Z", true)]
    [TestCase("2027-03-14T11:00:00Z", false, TestName = "{m}(07:00 daylight time)")]
    public void Should_follow_the_clock_across_a_transition_west_of_UTC(string instant, bool quiet) =>
        Assert.That(Night.Covers(At(instant), Zone("America/New_York")), Is.EqualTo(quiet));

    private static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];
}

public class When_reading_a_quiet_hours_time
{
    [TestCase("22:00", 22, 0)]
    [TestCase("07:30", 7, 30)]
    [TestCase("7:30", 7, 30)]
    [TestCase(" 00:00 ", 0, 0)]
    [TestCase("23:59", 23, 59)]
    public void Should_accept_a_24_hour_time_of_day(string text, int hour, int minute)
    {
        Assert.That(QuietHours.TryParseTime(text, out var time), Is.True);
        Assert.That(time, Is.EqualTo(new TimeOnly(hour, minute)));
    }

    [TestCase("25:00")]
    [TestCase("24:00")]
    [TestCase("22:60")]
    [TestCase("22")]
    [TestCase("10pm")]
    [TestCase("22:00:30")]
    [TestCase("")]
    [TestCase(null)]
    public void Should_refuse_anything_else(string? text) =>
        Assert.That(QuietHours.TryParseTime(text, out _), Is.False);

    [Test]
    public void Should_format_as_hours_and_minutes() =>
        Assert.That(QuietHours.Format(new TimeOnly(7, 5)), Is.EqualTo("07:05"));
}
