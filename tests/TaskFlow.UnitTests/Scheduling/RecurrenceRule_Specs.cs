using NodaTime;
using TaskFlow.Components.Scheduling;

namespace TaskFlow.UnitTests.Scheduling;

public class When_reading_a_recurrence
{
    private static readonly DueDate MondayMorningInParis =
        DueDate.AtTime(new LocalDateTime(2026, 11, 30, 9, 0), DateTimeZoneProviders.Tzdb["Europe/Paris"]);

    [TestCase("daily", "FREQ=DAILY")]
    [TestCase("Weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")]
    [TestCase("weekly", "FREQ=WEEKLY")]
    [TestCase("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2")]
    [TestCase("every 1 month", "FREQ=MONTHLY")]
    [TestCase("monthly", "FREQ=MONTHLY")]
    [TestCase("yearly", "FREQ=YEARLY")]
    [TestCase("RRULE:FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=MO,WE")]
    [TestCase("FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=-1FR")]
    public void Should_normalise_to_an_RRULE(string text, string rule)
    {
        Assert.That(RecurrenceRule.TryParse(text, MondayMorningInParis, out var parsed, out var error), Is.True, error);
        Assert.That(parsed, Is.EqualTo(rule));
    }

    [TestCase("FREQ=SOMETIMES", "RRULE")]
    [TestCase("banana", "RRULE")]
    [TestCase("FREQ=DAILY;INTERVAL=0", "RRULE")]
    [TestCase("FREQ=MINUTELY", "hourly")]
    [TestCase("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never")]
    [TestCase("FREQ=DAILY;UNTIL=20200101T000000Z", "no occurrence")]
    public void Should_refuse_an_impossible_or_unreadable_rule(string text, string reason)
    {
        Assert.That(RecurrenceRule.TryParse(text, MondayMorningInParis, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void Should_need_a_due_date_to_start_from()
    {
        Assert.That(RecurrenceRule.TryParse("daily", null, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("due date"));
    }

    [Test]
    public void Should_keep_the_wall_time_across_a_DST_change()
    {
        // Paris leaves summer time on 2026-10-25: the 09:00 occurrence moves from 07:00Z to 08:00Z.
        var saturday = DueDate.AtTime(new LocalDateTime(2026, 10, 24, 9, 0), DateTimeZoneProviders.Tzdb["Europe/Paris"]);

        var next = RecurrenceRule.NextAfter("FREQ=DAILY", saturday, saturday.Local);

        Assert.That(next!.DateTimeText, Is.EqualTo("2026-10-25T09:00:00"));
        Assert.That(next.At, Is.EqualTo(new DateTimeOffset(2026, 10, 25, 8, 0, 0, TimeSpan.Zero)));
        Assert.That(saturday.At, Is.EqualTo(new DateTimeOffset(2026, 10, 24, 7, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Should_skip_weekends_for_weekdays()
    {
        var friday = DueDate.AtTime(new LocalDateTime(2026, 12, 4, 9, 0), DateTimeZoneProviders.Tzdb["Europe/Paris"]);

        var next = RecurrenceRule.NextAfter("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", friday, friday.Local);

        Assert.That(next!.DateTimeText, Is.EqualTo("2026-12-07T09:00:00"));
    }

    [Test]
    public void Should_keep_an_all_day_series_all_day()
    {
        var first = DueDate.OnDay(new LocalDate(2026, 1, 31), DateTimeZoneProviders.Tzdb["UTC"]);

        var next = RecurrenceRule.NextAfter("FREQ=MONTHLY", first, first.Local);

        Assert.That(next!.AllDay, Is.True);
        Assert.That(next.DateText, Is.EqualTo("2026-03-31"), "RFC 5545 skips months without a 31st");
    }
}
