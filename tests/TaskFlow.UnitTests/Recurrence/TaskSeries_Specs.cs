// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using System.Globalization;
using TaskFlow.Components.Recurrence;
using TaskFlow.Components.Tasks;
using TaskFlow.UnitTests.Calendar;

namespace TaskFlow.UnitTests.Recurrence;

public class When_an_occurrence_appears
{
    // 09:00 CEST on 29 March 2027, the day after Europe/Paris springs forward: 07:00 UTC.
    private static readonly string Slot = "2027-03-29T09:00";

    [TestCase(24 * 60, new int[0], "2027-03-28T07:00Z", TestName = "A day before its due, for a lead of a day and no reminder")]
    [TestCase(24 * 60, new[] { 15, 2 * 24 * 60 }, "2027-03-27T07:00Z", TestName = "Two days before its due, for a reminder two days ahead and a lead of one")]
    [TestCase(0, new[] { 30 }, "2027-03-29T06:30Z", TestName = "Half an hour before its due, for no lead and a reminder half an hour ahead")]
    [TestCase(2 * 60, new[] { 30, 60 }, "2027-03-29T05:00Z", TestName = "Two hours before its due, for a lead longer than every reminder")]
    [TestCase(60, new[] { 60 }, "2027-03-29T06:00Z", TestName = "An hour before its due, for a lead and a reminder both of an hour")]
    [TestCase(0, new int[0], "2027-03-29T07:00Z", TestName = "At its due, for no lead and no reminder")]
    public void Should_appear_the_lead_or_the_longest_reminder_before_its_due(int leadMinutes, int[] reminderMinutes, string expected)
    {
        var series = NewSeries.In("Europe/Paris", "FREQ=DAILY", "2027-03-01T09:00");
        series.LeadTime = TimeSpan.FromMinutes(leadMinutes);
        series.ReminderOffsets = [.. reminderMinutes.Select(m => TimeSpan.FromMinutes(m))];

        var appears = series.AppearsAt(Dues.Due("Europe/Paris", Slot));

        Assert.That(Dues.Show(appears), Is.EqualTo(expected));
    }

    [Test]
    public void Should_count_the_lead_of_an_all_day_occurrence_back_from_the_end_of_its_day()
    {
        var series = NewSeries.In("Europe/Paris", "FREQ=DAILY", "2027-03-01");
        series.LeadTime = TimeSpan.FromDays(1);

        // The end of 28 March is midnight CEST, 22:00 UTC.
        var appears = series.AppearsAt(Dues.Due("Europe/Paris", "2027-03-28"));

        Assert.That(Dues.Show(appears), Is.EqualTo("2027-03-27T22:00Z"));
    }
}

public class When_a_task_starts_a_series
{
    private static readonly Guid Owner = Guid.Parse("0195f7a2-8a7c-7c61-9c2e-3b7a5d1e4f00");
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public void Should_copy_the_task_and_begin_at_its_due()
    {
        var task = Task("FREQ=WEEKLY", "2027-03-22T09:00", "Europe/Paris");

        var series = TaskSeries.StartAt(task, RecurrenceMode.Completion, TimeSpan.FromHours(6), Now);

        Assert.Multiple(() =>
        {
            Assert.That(series.OwnerId, Is.EqualTo(Owner));
            Assert.That(series.Rule, Is.EqualTo("FREQ=WEEKLY"));
            Assert.That(series.Mode, Is.EqualTo(RecurrenceMode.Completion));
            Assert.That(series.LeadTime, Is.EqualTo(TimeSpan.FromHours(6)));
            Assert.That(series.Status, Is.EqualTo(SeriesStatus.Active));
            Assert.That(series.Title, Is.EqualTo("Water the plants"));
            Assert.That(series.Description, Is.EqualTo("The ferns too"));
            Assert.That(series.Priority, Is.EqualTo(TaskPriority.High));
            Assert.That(series.Tags, Is.EqualTo(new[] { "home" }).And.Not.SameAs(task.Tags));
            Assert.That(series.ReminderOffsets, Is.EqualTo(new[] { TimeSpan.FromMinutes(15), TimeSpan.FromHours(1) }).And.Not.SameAs(task.ReminderOffsets));
            Assert.That(series.TimeZone, Is.EqualTo("Europe/Paris"));
            Assert.That(series.AllDay, Is.False);
            Assert.That(series.StartLocal, Is.EqualTo(new DateTime(2027, 3, 22, 9, 0, 0)));
            Assert.That(Dues.Show(series.Start), Is.EqualTo("2027-03-22T09:00 = 2027-03-22T08:00Z"));
            Assert.That(series.LastSlot, Is.EqualTo(new DateTime(2027, 3, 22, 9, 0, 0)), "the task fills the first slot");
            Assert.That(series.CreatedCount, Is.EqualTo(1));
            Assert.That(series.Version, Is.EqualTo(1));
            Assert.That(series.CreatedAt, Is.EqualTo(Now));
            Assert.That(series.UpdatedAt, Is.EqualTo(Now));
            Assert.That(series.Id.Version, Is.EqualTo(7));
            Assert.That(long.Parse(series.Id.ToString("N")[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                Is.EqualTo(Now.ToUnixTimeMilliseconds()), "a version 7 id carries its creation time");
            Assert.That(task.SeriesId, Is.EqualTo(series.Id));
            Assert.That(task.SeriesSlot, Is.EqualTo(new DateTime(2027, 3, 22, 9, 0, 0)));
        });
    }

    [Test]
    public void Should_begin_an_all_day_series_on_the_day()
    {
        var task = Task("FREQ=DAILY", "2027-03-22", "Australia/Sydney");

        var series = TaskSeries.StartAt(task, RecurrenceMode.Schedule, TimeSpan.FromDays(1), Now);

        Assert.That(series.AllDay, Is.True);
        Assert.That(series.StartLocal, Is.EqualTo(new DateTime(2027, 3, 22)));
        Assert.That(Dues.Show(series.Start), Is.EqualTo("2027-03-22 all day = 2027-03-22T13:00Z"), "the end of the day is midnight AEDT");
        Assert.That(task.SeriesSlot, Is.EqualTo(new DateTime(2027, 3, 22)));
    }

    [Test]
    public void Should_refuse_a_task_without_a_due_date()
    {
        var task = Task("FREQ=DAILY", "2027-03-22T09:00", "Europe/Paris");
        task.Due = null;

        Assert.That(() => TaskSeries.StartAt(task, RecurrenceMode.Schedule, TimeSpan.FromDays(1), Now),
            Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("task")
                .And.Message.Contains("due date"));
        Assert.That(task.SeriesId, Is.Null);
    }

    [Test]
    public void Should_refuse_a_task_that_does_not_repeat()
    {
        var task = Task(null, "2027-03-22T09:00", "Europe/Paris");

        Assert.That(() => TaskSeries.StartAt(task, RecurrenceMode.Schedule, TimeSpan.FromDays(1), Now),
            Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("task")
                .And.Message.Contains("does not repeat"));
        Assert.That(task.SeriesId, Is.Null);
    }

    private static TaskItem Task(string? recurrence, string due, string zone) => new()
    {
        OwnerId = Owner,
        Title = "Water the plants",
        Description = "The ferns too",
        Priority = TaskPriority.High,
        Tags = ["home"],
        ReminderOffsets = [TimeSpan.FromMinutes(15), TimeSpan.FromHours(1)],
        Recurrence = recurrence,
        Due = Dues.Due(zone, due),
    };
}

public class When_a_series_restarts
{
    [TestCase("2027-05-03T09:00", "2027-05-12T18:00", true, "2027-05-12T18:00", 1, TestName = "Filled at a later date, that date is its last slot")]
    [TestCase("2027-05-20T09:00", "2027-05-12T18:00", true, "2027-05-20T09:00", 1, TestName = "Filled at an earlier date, its last slot stays")]
    [TestCase("2027-05-03T09:00", "2027-05-12T18:00", false, "2027-05-03T09:00", 0, TestName = "Not filled, its last slot stays and nothing counts yet")]
    public void Should_begin_the_rule_at_the_new_date(string lastSlot, string restart, bool filled, string expectedLastSlot, int expectedCount)
    {
        var series = NewSeries.In("Europe/Paris", "FREQ=WEEKLY", "2027-04-05T09:00");
        series.LastSlot = Dues.Local(lastSlot).ToDateTimeUnspecified();
        series.CreatedCount = 5;

        series.RestartAt(Dues.Due("Europe/Paris", restart), filled);

        Assert.That(series.StartLocal, Is.EqualTo(Dues.Local(restart).ToDateTimeUnspecified()));
        Assert.That(series.LastSlot, Is.EqualTo(Dues.Local(expectedLastSlot).ToDateTimeUnspecified()));
        Assert.That(series.CreatedCount, Is.EqualTo(expectedCount));
    }

    [Test]
    public void Should_never_move_its_last_slot_back_even_after_a_restart_without_filling()
    {
        var series = NewSeries.In("Europe/Paris", "FREQ=WEEKLY", "2027-04-05T09:00");
        series.LastSlot = new DateTime(2027, 5, 20, 9, 0, 0);
        series.CreatedCount = 4;

        series.RestartAt(Dues.Due("Europe/Paris", "2027-05-27T09:00"), filled: false);
        series.RestartAt(Dues.Due("Europe/Paris", "2027-05-06T10:00"), filled: true);

        Assert.That(series.LastSlot, Is.EqualTo(new DateTime(2027, 5, 20, 9, 0, 0)));
        Assert.That(Dues.Show(SeriesSchedule.NextBySchedule(series, series.LastSlot, Dues.Instant("2027-05-05T10:00Z"))),
            Is.EqualTo("2027-05-20T10:00 = 2027-05-20T08:00Z"));
    }

    [Test]
    public void Should_take_the_zone_and_the_whole_day_of_the_new_date()
    {
        var series = NewSeries.In("Europe/Paris", "FREQ=WEEKLY", "2027-04-05T09:00");

        series.RestartAt(Dues.Due("Asia/Tokyo", "2027-06-01"), filled: true);

        Assert.That(series.TimeZone, Is.EqualTo("Asia/Tokyo"));
        Assert.That(series.AllDay, Is.True);
        Assert.That(Dues.Show(series.Start), Is.EqualTo("2027-06-01 all day = 2027-06-01T15:00Z"));
    }

    [TestCase(false, "2027-05-12T18:00 = 2027-05-12T16:00Z", TestName = "Restarted later without filling, the schedule begins with the new date")]
    [TestCase(true, "2027-05-19T18:00 = 2027-05-19T16:00Z", TestName = "Restarted later and filled, the schedule goes on after the new date")]
    public void Should_schedule_from_the_new_date(bool filled, string expected)
    {
        var series = NewSeries.In("Europe/Paris", "FREQ=WEEKLY", "2027-04-05T09:00");
        series.LastSlot = new DateTime(2027, 5, 3, 9, 0, 0);
        series.CreatedCount = 5;

        series.RestartAt(Dues.Due("Europe/Paris", "2027-05-12T18:00"), filled);
        var next = SeriesSchedule.NextBySchedule(series, series.LastSlot, Dues.Instant("2027-05-05T10:00Z"));

        Assert.That(Dues.Show(next), Is.EqualTo(expected));
    }
}
