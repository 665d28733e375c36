using NodaTime;
using TaskFlow.Components.Calendar;

namespace TaskFlow.UnitTests.Calendar;

/// <summary>Every part of an RRULE is kept as written, normalised, or the rule is refused naming the part: none is dropped or overwritten.</summary>
public class When_reading_the_parts_of_an_RRULE
{
    private static readonly DueDate MorningInParis = Dues.Due("Europe/Paris", "2100-03-01T09:00");

    [TestCase("FREQ=DAILY;FREQ=WEEKLY", "FREQ is given more than once")]
    [TestCase("FREQ=DAILY;freq=daily", "FREQ is given more than once")]
    [TestCase("FREQ=WEEKLY;BYDAY=MO;BYDAY=TU", "BYDAY is given more than once")]
    [TestCase("FREQ=DAILY;COUNT=2;COUNT=3", "COUNT is given more than once")]
    [TestCase("FREQ=DAILY;INTERVAL=1;INTERVAL=2", "INTERVAL is given more than once")]
    [TestCase("FREQ=DAILY;UNTIL=21000305;UNTIL=21000306", "UNTIL is given more than once")]
    public void Should_refuse_a_repeated_part(string text, string reason) => AssertRefused(text, reason);

    [TestCase("FREQ=DAILY;UNTIL=garbage", "UNTIL must be a date")]
    [TestCase("FREQ=DAILY;UNTIL=21000230", "UNTIL must be a date")]
    [TestCase("FREQ=DAILY;UNTIL=2100-02-30", "UNTIL must be a date")]
    [TestCase("FREQ=DAILY;UNTIL=21000305Z", "UNTIL must be a date")]
    [TestCase("FREQ=DAILY;UNTIL=21000305T250000Z", "UNTIL must be a date")]
    [TestCase("FREQ=DAILY;UNTIL=", "UNTIL must be a date")]
    [TestCase("FREQ=3", "FREQ must be one of")]
    [TestCase("FREQ=DAILY,WEEKLY", "FREQ must be one of")]
    [TestCase("FREQ= DAILY X", "FREQ must be one of")]
    [TestCase("INTERVAL=2", "FREQ is missing")]
    [TestCase("FREQ=DAILY;X-NAME=1", "X-NAME is not an RRULE part")]
    [TestCase("FREQ=DAILY;RSCALE=GREGORIAN", "RSCALE is not an RRULE part")]
    [TestCase("FREQ=DAILY;COUNT", "'COUNT' is not a NAME=VALUE rule part")]
    [TestCase("FREQ=DAILY;COUNT=3=4", "'COUNT=3=4' is not a NAME=VALUE rule part")]
    [TestCase("FREQ=DAILY;COUNT=0", "COUNT must be a whole number from 1")]
    [TestCase("FREQ=DAILY;COUNT=+3", "COUNT must be a whole number from 1")]
    [TestCase("FREQ=DAILY;COUNT=3.0", "COUNT must be a whole number from 1")]
    [TestCase("FREQ=DAILY;INTERVAL=0", "INTERVAL must be a whole number from 1")]
    [TestCase("FREQ=DAILY;INTERVAL=-2", "INTERVAL must be a whole number from 1")]
    [TestCase("FREQ=DAILY;BYHOUR=25", "BYHOUR takes values from 0 to 23, not '25'")]
    [TestCase("FREQ=DAILY;BYHOUR=9,,10", "BYHOUR takes values from 0 to 23, not ''")]
    [TestCase("FREQ=HOURLY;BYMINUTE=60", "BYMINUTE takes values from 0 to 59")]
    [TestCase("FREQ=MINUTELY;BYSECOND=61", "BYSECOND takes values from 0 to 59")]
    [TestCase("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY takes values from -31 to 31, not 0")]
    [TestCase("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY takes values from -31 to 31")]
    [TestCase("FREQ=YEARLY;BYMONTH=13", "BYMONTH takes values from 1 to 12")]
    [TestCase("FREQ=YEARLY;BYYEARDAY=367", "BYYEARDAY takes values from -366 to 366")]
    [TestCase("FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO takes values from -53 to 53")]
    [TestCase("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "BYSETPOS takes values from -366 to 366, not 0")]
    [TestCase("FREQ=WEEKLY;BYDAY=XX", "BYDAY takes values a day")]
    [TestCase("FREQ=MONTHLY;BYDAY=0MO", "BYDAY takes values a day")]
    [TestCase("FREQ=MONTHLY;BYDAY=54MO", "BYDAY takes values a day")]
    [TestCase("FREQ=WEEKLY;WKST=XX", "WKST must be a day")]
    [TestCase("FREQ=WEEKLY;BYDAY=1MO", "BYDAY takes a numbered day")]
    [TestCase("FREQ=DAILY;BYDAY=-1FR", "BYDAY takes a numbered day")]
    [TestCase("FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "BYDAY takes a numbered day")]
    [TestCase("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY does not go with FREQ=WEEKLY")]
    [TestCase("FREQ=MONTHLY;BYYEARDAY=1", "BYYEARDAY does not go with FREQ=MONTHLY")]
    [TestCase("FREQ=MONTHLY;BYWEEKNO=1", "BYWEEKNO goes with FREQ=YEARLY only")]
    [TestCase("FREQ=DAILY;BYSETPOS=1", "BYSETPOS picks among")]
    [TestCase("FREQ=DAILY;COUNT=3;UNTIL=21001231", "COUNT and UNTIL both end a series")]
    public void Should_refuse_a_part_that_would_not_be_kept_as_written(string text, string reason) => AssertRefused(text, reason);

    [TestCase("FREQ=DAILY;UNTIL=21000305", "FREQ=DAILY;UNTIL=21000305", "Daily until 5 Mar 2100")]
    [TestCase("FREQ=DAILY;UNTIL=2100-03-05", "FREQ=DAILY;UNTIL=21000305", "Daily until 5 Mar 2100")]
    [TestCase("FREQ=DAILY;UNTIL=2100-03-05T08:00:00Z", "FREQ=DAILY;UNTIL=21000305T080000Z", "Daily until 5 Mar 2100 at 08:00 UTC")]
    [TestCase("FREQ=DAILY;UNTIL=2100-03-05T08:00Z", "FREQ=DAILY;UNTIL=21000305T080000Z", "Daily until 5 Mar 2100 at 08:00 UTC")]
    [TestCase("freq=daily;until=21000305t080000z", "FREQ=DAILY;UNTIL=21000305T080000Z", "Daily until 5 Mar 2100 at 08:00 UTC")]
    [TestCase("FREQ=DAILY;UNTIL=21000305T090000", "FREQ=DAILY;UNTIL=21000305T090000", "Daily until 5 Mar 2100 at 09:00")]
    [TestCase("FREQ=DAILY;INTERVAL=1;WKST=MO", "FREQ=DAILY", "Daily")]
    [TestCase("FREQ=DAILY;BYHOUR=09;", "FREQ=DAILY;BYHOUR=9", "Daily in hour 9")]
    [TestCase("FREQ=DAILY;;COUNT=3", "FREQ=DAILY;COUNT=3", "Daily, 3 times")]
    [TestCase("FREQ=MONTHLY;BYDAY=+1mo", "FREQ=MONTHLY;BYDAY=1MO", "Monthly on the first Monday")]
    [TestCase(" FREQ = WEEKLY ; BYDAY = MO,WE ", "FREQ=WEEKLY;BYDAY=MO,WE", "Weekly on Monday and Wednesday")]
    public void Should_keep_every_part_normalised(string text, string rule, string summary)
    {
        Assert.That(RecurrenceRule.TryParse(text, MorningInParis, out var parsed, out var error), Is.True, error);
        Assert.That(parsed, Is.EqualTo(rule));
        Assert.That(RecurrenceRule.Describe(parsed), Is.EqualTo(summary));
    }

    [TestCase("FREQ=DAILY;UNTIL=2100-03-05", "2100-03-02T09:00,2100-03-03T09:00,2100-03-04T09:00,2100-03-05T09:00")]
    [TestCase("FREQ=DAILY;UNTIL=21000305", "2100-03-02T09:00,2100-03-03T09:00,2100-03-04T09:00,2100-03-05T09:00")]
    // 08:00 UTC is 09:00 in Paris in March: inclusive.
    [TestCase("FREQ=DAILY;UNTIL=2100-03-04T08:00:00Z", "2100-03-02T09:00,2100-03-03T09:00,2100-03-04T09:00")]
    [TestCase("FREQ=DAILY;UNTIL=2100-03-04T07:59:59Z", "2100-03-02T09:00,2100-03-03T09:00")]
    public void Should_end_the_series_at_its_UNTIL(string text, string expected)
    {
        Assert.That(RecurrenceRule.TryParse(text, MorningInParis, out var rule, out var error), Is.True, error);

        var occurrences = RecurrenceDates.Occurrences(rule, MorningInParis, MorningInParis.Local, 10);

        Assert.That(string.Join(',', occurrences.Select(o => o.DateTimeText![..16])), Is.EqualTo(expected));
    }

    private static void AssertRefused(string text, string reason)
    {
        Assert.That(RecurrenceRule.TryParse(text, MorningInParis, out var rule, out var error), Is.False, $"accepted as {rule}");
        Assert.That(error, Does.Contain(reason));
        Assert.That(rule, Is.Empty);
    }
}
