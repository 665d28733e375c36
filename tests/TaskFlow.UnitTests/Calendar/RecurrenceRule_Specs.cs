using NodaTime;
using TaskFlow.Components.Calendar;

namespace TaskFlow.UnitTests.Calendar;

public class When_reading_a_recurrence
{
    private static readonly DueDate MondayMorningInParis =
        DueDate.AtTime(new LocalDateTime(2026, 11, 30, 9, 0), DateTimeZoneProviders.Tzdb["Europe/Paris"]);

    [TestCase("daily", "FREQ=DAILY", "Daily")]
    [TestCase("every day", "FREQ=DAILY", "Daily")]
    [TestCase("Weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday")]
    [TestCase("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday")]
    [TestCase("weekly", "FREQ=WEEKLY", "Weekly")]
    [TestCase("every week", "FREQ=WEEKLY", "Weekly")]
    [TestCase("every other week", "FREQ=WEEKLY;INTERVAL=2", "Every 2 weeks")]
    [TestCase("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2", "Every 2 weeks")]
    [TestCase("weekly on mon,wed", "FREQ=WEEKLY;BYDAY=MO,WE", "Weekly on Monday and Wednesday")]
    [TestCase("Weekly on Wednesday and Monday", "FREQ=WEEKLY;BYDAY=MO,WE", "Weekly on Monday and Wednesday")]
    [TestCase("  weekly   on sa, tu th,tue ", "FREQ=WEEKLY;BYDAY=TU,TH,SA", "Weekly on Tuesday, Thursday and Saturday")]
    [TestCase("weekly on sundays", "FREQ=WEEKLY;BYDAY=SU", "Weekly on Sunday")]
    [TestCase("every 2 weeks on mon, wed", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE", "Every 2 weeks on Monday and Wednesday")]
    [TestCase("monthly", "FREQ=MONTHLY", "Monthly")]
    [TestCase("every month", "FREQ=MONTHLY", "Monthly")]
    [TestCase("every 1 month", "FREQ=MONTHLY", "Monthly")]
    [TestCase("monthly on the last friday", "FREQ=MONTHLY;BYDAY=-1FR", "Monthly on the last Friday")]
    [TestCase("monthly on the first monday", "FREQ=MONTHLY;BYDAY=1MO", "Monthly on the first Monday")]
    [TestCase("Monthly on the 2nd Tuesday", "FREQ=MONTHLY;BYDAY=2TU", "Monthly on the second Tuesday")]
    [TestCase("monthly on the third thu", "FREQ=MONTHLY;BYDAY=3TH", "Monthly on the third Thursday")]
    [TestCase("monthly on fourth sunday", "FREQ=MONTHLY;BYDAY=4SU", "Monthly on the fourth Sunday")]
    [TestCase("monthly on the 15th", "FREQ=MONTHLY;BYMONTHDAY=15", "Monthly on the 15th")]
    [TestCase("monthly on day 31", "FREQ=MONTHLY;BYMONTHDAY=31", "Monthly on the 31st")]
    [TestCase("monthly on the last day", "FREQ=MONTHLY;BYMONTHDAY=-1", "Monthly on the last day")]
    [TestCase("every 3 months on the 1st", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "Every 3 months on the 1st")]
    [TestCase("yearly", "FREQ=YEARLY", "Yearly")]
    [TestCase("annually", "FREQ=YEARLY", "Yearly")]
    [TestCase("every year", "FREQ=YEARLY", "Yearly")]
    [TestCase("every 3 days", "FREQ=DAILY;INTERVAL=3", "Every 3 days")]
    [TestCase("every 4 hours", "FREQ=HOURLY;INTERVAL=4", "Every 4 hours")]
    [TestCase("RRULE:FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=MO,WE", "Weekly on Monday and Wednesday")]
    [TestCase("FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=-1FR", "Monthly on the last Friday")]
    [TestCase("freq=daily;count=10", "FREQ=DAILY;COUNT=10", "Daily, 10 times")]
    [TestCase("FREQ=WEEKLY;UNTIL=20271231", "FREQ=WEEKLY;UNTIL=20271231", "Weekly until 31 Dec 2027")]
    public void Should_normalise_to_an_RRULE_with_a_summary(string text, string rule, string summary)
    {
        Assert.That(RecurrenceRule.TryParse(text, MondayMorningInParis, out var parsed, out var error), Is.True, error);
        Assert.That(parsed, Is.EqualTo(rule));
        Assert.That(RecurrenceRule.Describe(parsed), Is.EqualTo(summary));
    }

    [TestCase("FREQ=SOMETIMES", "Not a valid RRULE")]
    [TestCase("banana", "Not a valid RRULE")]
    [TestCase("FREQ=DAILY;INTERVAL=0", "Not a valid RRULE")]
    [TestCase("FREQ=DAILY;COUNT=3;UNTIL=20271231", "COUNT")]
    [TestCase("FREQ=MINUTELY", "at most hourly")]
    [TestCase("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never matches")]
    [TestCase("FREQ=DAILY;UNTIL=20200101T000000Z", "no occurrence after the due date")]
    [TestCase("FREQ=DAILY;COUNT=1", "no occurrence after the due date")]
    [TestCase("FREQ=YEARLY;INTERVAL=9000", "before the year 10000")]
    [TestCase("weekly on funday", "'funday' is not a day of the week")]
    [TestCase("weekly on mon, and, someday", "'someday' is not a day of the week")]
    [TestCase("monthly on the last funday", "'funday' is not a day of the week")]
    [TestCase("monthly on day 32", "A month has days 1 to 31, not 32")]
    [TestCase("monthly on the 0th", "A month has days 1 to 31, not 0")]
    [TestCase("monthly on payday", "Write the day of the month as")]
    [TestCase("daily on monday", "Only weekly and monthly repeats take 'on'")]
    [TestCase("every 0 days", "Must be a repeat such as")]
    public void Should_refuse_an_impossible_or_unreadable_rule(string text, string reason)
    {
        Assert.That(RecurrenceRule.TryParse(text, MondayMorningInParis, out var rule, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
        Assert.That(rule, Is.Empty);
    }

    [Test]
    public void Should_refuse_a_rule_longer_than_500_characters()
    {
        var text = "FREQ=DAILY;BYHOUR=" + string.Join(',', Enumerable.Repeat("9", 250));

        Assert.That(RecurrenceRule.TryParse(text, MondayMorningInParis, out _, out var error), Is.False);
        Assert.That(error, Does.StartWith("Must be a repeat such as"));
    }

    [Test]
    public void Should_need_a_due_date_to_start_from()
    {
        Assert.That(RecurrenceRule.TryParse("daily", null, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("due date"));
    }

    [Test]
    public void Should_repeat_an_all_day_task_at_most_daily()
    {
        var allDay = DueDate.OnDay(new LocalDate(2026, 12, 1), DateTimeZoneProviders.Tzdb["UTC"]);

        Assert.That(RecurrenceRule.TryParse("every 4 hours", allDay, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("at most daily"));
    }
}

public class When_describing_a_recurrence
{
    [TestCase("FREQ=DAILY;INTERVAL=2", "Every 2 days")]
    [TestCase("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "Every weekday")]
    [TestCase("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR", "Every 2 weeks on weekdays")]
    [TestCase("FREQ=WEEKLY;BYDAY=SU,SA", "Weekly on Saturday and Sunday")]
    [TestCase("FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2;COUNT=10", "Every 2 weeks on Monday and Wednesday, 10 times")]
    [TestCase("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "Monthly on the last weekday")]
    [TestCase("FREQ=MONTHLY;BYDAY=FR;BYSETPOS=1,-1", "Monthly on the first and last Friday")]
    [TestCase("FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=1", "Monthly on the first Saturday or Sunday")]
    [TestCase("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "Monthly on the last of the 28th, 29th, 30th and 31st")]
    [TestCase("FREQ=MONTHLY;BYMONTHDAY=1,15", "Monthly on the 1st and 15th")]
    [TestCase("FREQ=MONTHLY;BYMONTHDAY=-2", "Monthly on the second-to-last day")]
    [TestCase("FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR", "Monthly on the 13th when it is a Friday")]
    [TestCase("FREQ=MONTHLY;BYDAY=MO", "Monthly on every Monday")]
    [TestCase("FREQ=MONTHLY;BYDAY=-2FR", "Monthly on the second-to-last Friday")]
    [TestCase("FREQ=MONTHLY;BYDAY=1MO,3MO", "Monthly on the first Monday and the third Monday")]
    [TestCase("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "Yearly on 29 February")]
    [TestCase("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "Yearly on the last Sunday in March")]
    [TestCase("FREQ=YEARLY;BYMONTH=1,7", "Yearly in January and July")]
    [TestCase("FREQ=YEARLY;BYDAY=20MO", "Yearly on the 20th Monday")]
    [TestCase("FREQ=YEARLY;BYYEARDAY=1,-1", "Yearly on day 1 and the last day of the year")]
    [TestCase("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "Yearly on every Monday in week 20 of the year")]
    [TestCase("FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0", "Daily at 09:00 and 17:00")]
    [TestCase("FREQ=DAILY;BYHOUR=9,17", "Daily in hours 9 and 17")]
    [TestCase("FREQ=HOURLY;BYMINUTE=0,30", "Hourly at minutes 0 and 30")]
    [TestCase("FREQ=HOURLY", "Hourly")]
    [TestCase("FREQ=MINUTELY;INTERVAL=15", "Every 15 minutes")]
    [TestCase("FREQ=DAILY;COUNT=1", "Daily, once")]
    [TestCase("FREQ=DAILY;UNTIL=20271231T090000", "Daily until 31 Dec 2027 at 09:00")]
    [TestCase("FREQ=DAILY;UNTIL=20271231T225959Z", "Daily until 31 Dec 2027 at 22:59:59 UTC")]
    [TestCase("RRULE:FREQ=YEARLY;INTERVAL=2", "Every 2 years")]
    public void Should_say_it_in_English(string rule, string summary)
    {
        Assert.That(RecurrenceRule.Describe(rule), Is.EqualTo(summary));
    }
}
