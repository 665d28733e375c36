// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using NodaTime;
using TaskFlow.Components.Calendar;

namespace TaskFlow.UnitTests.Calendar;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class When_reading_a_due_date
{
    private readonly Dictionary<string, string> errors = [];

    [Test]
    public void Should_resolve_a_wall_time_in_its_zone()
    {
        var due = DueDate.Parse("2026-07-01T09:30", null, "Europe/Paris", "UTC", errors);

        Assert.That(errors, Is.Empty);
        Assert.That(due!.At, Is.EqualTo(new DateTimeOffset(2026, 7, 1, 7, 30, 0, TimeSpan.Zero)));
        Assert.That(due.DateTimeText, Is.EqualTo("2026-07-01T09:30:00"));
        Assert.That(due.AllDay, Is.False);
    }

    [Test]
    public void Should_use_the_owners_zone_when_none_is_given()
    {
        var due = DueDate.Parse("2026-01-15T09:00", null, null, "America/New_York", errors);

        Assert.That(due!.TimeZone, Is.EqualTo("America/New_York"));
        Assert.That(due.At, Is.EqualTo(new DateTimeOffset(2026, 1, 15, 14, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Should_move_a_time_skipped_by_the_spring_transition_forward()
    {
        // Europe/Paris jumps from 02:00 to 03:00 on 2027-03-28.
        var due = DueDate.Parse("2027-03-28T02:30", null, "Europe/Paris", "UTC", errors);

        Assert.That(due!.At, Is.EqualTo(new DateTimeOffset(2027, 3, 28, 1, 30, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Should_take_the_earlier_of_two_ambiguous_autumn_times()
    {
        // 02:30 happens twice in Europe/Paris on 2026-10-25: first at +02:00.
        var due = DueDate.Parse("2026-10-25T02:30", null, "Europe/Paris", "UTC", errors);

        Assert.That(due!.At, Is.EqualTo(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero)));
    }

    [TestCase("2026-10-25T02:30+02:00", "2026-10-25T00:30Z")]
    [TestCase("2026-10-25T02:30+01:00", "2026-10-25T01:30Z")]
    [TestCase("2026-10-25T01:30:00Z", "2026-10-25T01:30Z")]
    public void Should_keep_the_instant_an_offset_names_in_the_repeated_autumn_hour(string dateTime, string instant)
    {
        var due = DueDate.Parse(dateTime, null, "Europe/Paris", "UTC", errors);

        Assert.That(due!.DateTimeText, Is.EqualTo("2026-10-25T02:30:00"));
        Assert.That(due.At, Is.EqualTo(Dues.Instant(instant)));
    }

    [Test]
    public void Should_convert_an_instant_with_an_offset_into_the_zone()
    {
        var due = DueDate.Parse("2026-07-01T07:30:00Z", null, "Europe/Paris", "UTC", errors);

        Assert.That(due!.DateTimeText, Is.EqualTo("2026-07-01T09:30:00"));
        Assert.That(due.At, Is.EqualTo(new DateTimeOffset(2026, 7, 1, 7, 30, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Should_make_an_all_day_task_due_at_the_end_of_its_day()
    {
        var due = DueDate.Parse(null, "2026-12-01", "Asia/Tokyo", "UTC", errors);

        Assert.That(due!.AllDay, Is.True);
        Assert.That(due.DateText, Is.EqualTo("2026-12-01"));
        Assert.That(due.At, Is.EqualTo(new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero)));
    }

    [TestCase("Mars/Olympus_Mons")]
    [TestCase("PST")]
    [TestCase("Eastern Standard Time")]
    public void Should_refuse_a_zone_that_is_not_IANA(string zone)
    {
        DueDate.Parse("2026-07-01T09:30", null, zone, "UTC", errors);

        Assert.That(errors.Keys.Single(), Is.EqualTo("timeZone"));
    }

    [TestCase("10000-01-01T00:00", null, "dateTime")]
    [TestCase(null, "10000-01-01", "date")]
    [TestCase("2026-02-30T09:00", null, "dateTime")]
    [TestCase("tomorrow", null, "dateTime")]
    [TestCase(null, "01/12/2026", "date")]
    [TestCase(null, null, "dateTime")]
    [TestCase("2026-07-01T09:30", "2026-07-01", "date")]
    public void Should_name_the_field_it_cannot_read(string? dateTime, string? date, string field)
    {
        var due = DueDate.Parse(dateTime, date, "UTC", "UTC", errors);

        Assert.That(due, Is.Null);
        Assert.That(errors.Keys, Does.Contain(field));
    }

    [Test]
    public void Should_know_zones_from_the_tz_database_whatever_the_host()
    {
        Assert.That(TimeZones.Find("Australia/Lord_Howe"), Is.EqualTo(DateTimeZoneProviders.Tzdb["Australia/Lord_Howe"]));
        Assert.That(TimeZones.Find("  "), Is.Null);
    }
}
