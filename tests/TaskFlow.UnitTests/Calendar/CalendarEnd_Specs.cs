using NodaTime;
using TaskFlow.Components.Notifications;
using TaskFlow.Components.Calendar;

namespace TaskFlow.UnitTests.Calendar;

/// <summary>
/// The calendar ends with the year 9999 (NodaTime's and DateTimeOffset's alike). A due date whose instant, or whose
/// day's end, lies past it is refused naming the field; every computation from a due date is total there: a series
/// ends, a reminder fires at once, quiet hours still read the clock.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class When_a_date_is_at_the_end_of_the_calendar
{
    private readonly Dictionary<string, string> errors = [];

    [TestCase("9999-12-31", "UTC")]
    [TestCase("9999-12-31", "Etc/GMT+12")]
    [TestCase("9999-12-31", "Pacific/Kiritimati")]
    public void Should_refuse_an_all_day_due_whose_day_ends_after_the_year_9999(string date, string zone)
    {
        var due = DueDate.Parse(null, date, zone, "UTC", errors);

        Assert.That(due, Is.Null);
        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "date" }));
        Assert.That(errors["date"], Does.Contain("9999-12-30"));
    }

    [TestCase("9999-12-31T23:59", "Etc/GMT+12")]
    [TestCase("9999-12-31T12:00", "Etc/GMT+12")]
    [TestCase("9999-12-31T23:59", "America/New_York")]
    [TestCase("9999-12-31T23:59:00-12:00", "UTC")]
    [TestCase("9999-12-31T23:59:00-12:00", "Pacific/Kiritimati")]
    public void Should_refuse_a_due_whose_instant_falls_after_the_year_9999(string dateTime, string zone)
    {
        var due = DueDate.Parse(dateTime, null, zone, "UTC", errors);

        Assert.That(due, Is.Null);
        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "dateTime" }));
    }

    [TestCase("9999-12-31T23:59", "UTC", "9999-12-31T23:59Z")]
    [TestCase("9999-12-31T23:59", "Pacific/Kiritimati", "9999-12-31T09:59Z")]
    [TestCase("9999-12-31T11:59", "Etc/GMT+12", "9999-12-31T23:59Z")]
    public void Should_keep_a_due_whose_instant_is_within_the_year_9999(string dateTime, string zone, string at)
    {
        var due = DueDate.Parse(dateTime, null, zone, "UTC", errors);

        Assert.That(errors, Is.Empty);
        Assert.That(Dues.Show(due!.At), Is.EqualTo(at));
    }

    [TestCase("UTC", "9999-12-31T00:00Z")]
    [TestCase("Etc/GMT+12", "9999-12-31T12:00Z")]
    [TestCase("Pacific/Kiritimati", "9999-12-30T10:00Z")]
    public void Should_keep_an_all_day_due_on_the_last_day_that_ends_within_the_year_9999(string zone, string at)
    {
        var due = DueDate.Parse(null, "9999-12-30", zone, "UTC", errors);

        Assert.That(errors, Is.Empty);
        Assert.That(Dues.Show(due!.At), Is.EqualTo(at));
    }

    [TestCase("0001-01-01T00:00")]
    [TestCase("1899-12-31T23:59")]
    public void Should_refuse_a_due_before_the_year_1900(string dateTime)
    {
        Assert.That(DueDate.Parse(dateTime, null, "Pacific/Kiritimati", "UTC", errors), Is.Null);
        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "dateTime" }));
    }

    [TestCase("UTC", "FREQ=DAILY", "9999-12-28", "9999-12-29 all day = 9999-12-30T00:00Z,9999-12-30 all day = 9999-12-31T00:00Z")]
    [TestCase("Etc/GMT+12", "FREQ=DAILY", "9999-12-29T11:00", "9999-12-30T11:00 = 9999-12-30T23:00Z,9999-12-31T11:00 = 9999-12-31T23:00Z")]
    [TestCase("Etc/GMT+12", "FREQ=DAILY", "9999-12-29T12:00", "9999-12-30T12:00 = 9999-12-31T00:00Z")]
    [TestCase("Pacific/Kiritimati", "FREQ=HOURLY", "9999-12-31T22:00", "9999-12-31T23:00 = 9999-12-31T09:00Z")]
    [TestCase("UTC", "FREQ=YEARLY", "9998-06-01T09:00", "9999-06-01T09:00 = 9999-06-01T09:00Z")]
    [TestCase("UTC", "FREQ=MONTHLY;BYMONTHDAY=-1", "9999-11-30T09:00", "9999-12-31T09:00 = 9999-12-31T09:00Z")]
    public void Should_end_a_series_where_the_calendar_ends(string zone, string rule, string start, string expected)
    {
        var first = Dues.Due(zone, start);

        var occurrences = RecurrenceDates.Occurrences(rule, first, first.Local, 10);

        Assert.That(string.Join(',', occurrences.Select(Dues.Show)), Is.EqualTo(expected));
        Assert.That(RecurrenceDates.NextAfter(rule, first, occurrences[^1].Local), Is.Null);
    }

    [TestCase("Etc/GMT+12", "9999-12-31T11:59", "FREQ=HOURLY")]
    [TestCase("Etc/GMT+12", "9999-12-31T11:59", "FREQ=DAILY")]
    [TestCase("UTC", "9999-12-31T23:59", "FREQ=HOURLY")]
    [TestCase("UTC", "9999-12-30", "FREQ=DAILY")]
    public void Should_give_nothing_after_the_last_due_the_calendar_holds(string zone, string last, string rule)
    {
        var due = Dues.Due(zone, last);

        Assert.That(RecurrenceDates.NextAfter(rule, due, due.Local), Is.Null);
        Assert.That(RecurrenceDates.NextAfter(rule, due, new LocalDateTime(9999, 12, 31, 23, 59, 59)), Is.Null);
    }

    [TestCase("FREQ=DAILY", "9999-12-30T09:00", "9999-12-31T12:00Z")]
    [TestCase("FREQ=HOURLY", "9999-12-30T09:00", "9999-12-31T23:30Z")]
    [TestCase("FREQ=YEARLY;INTERVAL=9000", "2100-01-01T09:00", "2100-01-01T12:00Z")]
    [TestCase("FREQ=MONTHLY", "9999-12-01", "9999-12-01T12:00Z")]
    public void Should_end_a_series_from_completion_where_the_calendar_ends(string rule, string start, string completedAt)
    {
        var next = RecurrenceDates.AfterCompletion(rule, Dues.Due("UTC", start), Dues.Instant(completedAt), occurrencesSoFar: 1);

        Assert.That(next, Is.Null);
    }

    private static readonly string[] EdgeDues =
    [
        "UTC 1900-01-01T00:00", "Pacific/Kiritimati 1900-01-01", "Etc/GMT+12 1900-01-01T00:00", "Etc/GMT-14 9999-12-30",
        "Etc/GMT+12 9999-12-30T23:00", "Pacific/Kiritimati 9999-12-31T23:59", "UTC 9999-12-31T23:59", "Etc/GMT+12 9999-12-31T11:59",
        "America/New_York 9999-12-31T18:00",
    ];

    private static readonly string[] Rules =
    [
        "hourly", "daily", "weekly", "monthly on the last day", "monthly on the 31st", "yearly", "FREQ=YEARLY;INTERVAL=9000",
        "FREQ=YEARLY;INTERVAL=999999999", "FREQ=MONTHLY;INTERVAL=120000", "FREQ=DAILY;INTERVAL=3650000", "FREQ=HOURLY;INTERVAL=99999999",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYYEARDAY=-1", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO", "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=DAILY;UNTIL=99991231", "FREQ=DAILY;UNTIL=99991231T235959Z",
        "FREQ=HOURLY;UNTIL=9999-12-31T23:59:59", "FREQ=DAILY;COUNT=2147483647", "FREQ=WEEKLY;WKST=SU;BYDAY=SU,SA",
    ];

    private static IEnumerable<TestCaseData> EdgeSeries() =>
        from due in EdgeDues from rule in Rules select new TestCaseData(due.Split(' ')[0], due.Split(' ')[1], rule);

    [TestCaseSource(nameof(EdgeSeries))]
    public void Should_read_and_expand_any_rule_from_either_end_of_the_calendar_without_failing(string zone, string start, string text)
    {
        var due = Dues.Due(zone, start);

        if (!RecurrenceRule.TryParse(text, due, out var rule, out _))
            return;
        var occurrences = RecurrenceDates.Occurrences(rule, due, due.Local, 100);
        RecurrenceDates.Occurrences(rule, due, new LocalDateTime(9999, 12, 31, 23, 59, 59), 1);
        if (RecurrenceRule.IsFixedInterval(rule))
            RecurrenceDates.AfterCompletion(rule, due, DateTimeOffset.MaxValue, 1);

        Assert.That(occurrences, Is.Ordered.By(nameof(DueDate.At)));
        Assert.That(occurrences.Select(o => o.At), Is.All.GreaterThan(due.At));
    }

    [Test]
    public void Should_refuse_a_rule_whose_only_occurrences_fall_past_the_calendar()
    {
        var due = Dues.Due("UTC", "9999-12-30");

        Assert.That(RecurrenceRule.TryParse("daily", due, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("no occurrence after the due date"));
    }

    [Test]
    public void Should_fire_a_reminder_at_the_first_instant_when_its_offset_reaches_before_the_calendar()
    {
        var nearTheStart = DateTimeOffset.MinValue.AddDays(3);

        Assert.That(ReminderOffsets.Before(nearTheStart, TimeSpan.FromDays(365)), Is.EqualTo(DateTimeOffset.MinValue));
        Assert.That(ReminderOffsets.Before(nearTheStart, TimeSpan.FromDays(1)), Is.EqualTo(DateTimeOffset.MinValue.AddDays(2)));
    }

    [TestCase("Pacific/Kiritimati", true)]
    [TestCase("Etc/GMT-14", true)]
    [TestCase("Etc/GMT+12", false)]
    public void Should_read_quiet_hours_on_the_clock_at_the_last_instant(string zone, bool quiet)
    {
        // 9999-12-31T23:59Z is 13:59 on a 1 January that the calendar does not have, 14 hours east.
        var hours = new QuietHours(new TimeOnly(13, 0), new TimeOnly(14, 0));

        Assert.That(hours.Covers(DateTimeOffset.MaxValue.AddSeconds(-30), DateTimeZoneProviders.Tzdb[zone]), Is.EqualTo(quiet));
    }
}
