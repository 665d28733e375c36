// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using TaskFlow.Api.Tasks;
using TaskFlow.Components.Recurrence;

namespace TaskFlow.UnitTests.Tasks;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class When_reading_how_a_task_repeats
{
    private readonly Dictionary<string, string[]> errors = [];

    [TestCase("schedule", RecurrenceMode.Schedule)]
    [TestCase("Schedule", RecurrenceMode.Schedule)]
    [TestCase("completion", RecurrenceMode.Completion)]
    [TestCase(" COMPLETION ", RecurrenceMode.Completion)]
    public void Should_read_the_mode_in_any_case(string mode, RecurrenceMode expected)
    {
        var draft = Parse("daily", mode: mode);

        Assert.That(errors, Is.Empty);
        Assert.That(draft!.Mode, Is.EqualTo(expected));
        Assert.That(draft.Recurrence, Is.EqualTo("FREQ=DAILY"));
    }

    [Test]
    public void Should_leave_mode_and_lead_to_the_series_when_not_given()
    {
        var draft = Parse("daily");

        Assert.That(errors, Is.Empty);
        Assert.That(draft!.Mode, Is.Null);
        Assert.That(draft.Lead, Is.Null);
    }

    [TestCase("sometimes")]
    [TestCase("scheduled")]
    [TestCase("1")]
    public void Should_refuse_an_unknown_mode(string mode)
    {
        var draft = Parse("daily", mode: mode);

        AssertRefused(draft, "recurrenceMode", "Must be schedule (occurrences follow the calendar) or completion");
    }

    [TestCase(null)]
    [TestCase("   ")]
    public void Should_refuse_a_mode_for_a_task_that_does_not_repeat(string? recurrence)
    {
        var draft = Parse(recurrence, mode: "schedule");

        AssertRefused(draft, "recurrenceMode", "give recurrence too");
    }

    [TestCase("weekdays")]
    [TestCase("weekly on mon,wed")]
    [TestCase("every 2 weeks on mon, wed")]
    [TestCase("monthly on the 15th")]
    [TestCase("monthly on the last friday")]
    [TestCase("FREQ=DAILY;BYHOUR=9,17")]
    public void Should_refuse_to_repeat_from_completion_a_rule_that_picks_days(string recurrence)
    {
        var draft = Parse(recurrence, mode: "completion");

        AssertRefused(draft, "recurrenceMode", "plain interval");
    }

    [TestCase("weekdays")]
    [TestCase("weekly on mon,wed")]
    public void Should_repeat_by_schedule_a_rule_that_picks_days(string recurrence)
    {
        var draft = Parse(recurrence, mode: "schedule");

        Assert.That(errors, Is.Empty);
        Assert.That(draft!.Mode, Is.EqualTo(RecurrenceMode.Schedule));
    }

    [TestCase("daily", "FREQ=DAILY")]
    [TestCase("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2")]
    [TestCase("monthly", "FREQ=MONTHLY")]
    [TestCase("yearly", "FREQ=YEARLY")]
    [TestCase("every 4 hours", "FREQ=HOURLY;INTERVAL=4")]
    [TestCase("FREQ=DAILY;COUNT=5", "FREQ=DAILY;COUNT=5")]
    [TestCase("FREQ=WEEKLY;UNTIL=20271231", "FREQ=WEEKLY;UNTIL=20271231")]
    public void Should_repeat_from_completion_a_plain_interval(string recurrence, string rule)
    {
        var draft = Parse(recurrence, mode: "completion");

        Assert.That(errors, Is.Empty);
        Assert.That(draft!.Mode, Is.EqualTo(RecurrenceMode.Completion));
        Assert.That(draft.Recurrence, Is.EqualTo(rule));
    }

    [TestCase("PT2H", 2 * 60)]
    [TestCase("3 days", 3 * 24 * 60)]
    [TestCase("P1W", 7 * 24 * 60)]
    [TestCase(" 0 minutes ", 0)]
    [TestCase("P365D", 365 * 24 * 60)]
    public void Should_read_the_lead_as_a_duration(string lead, int minutes)
    {
        var draft = Parse("daily", lead: lead);

        Assert.That(errors, Is.Empty);
        Assert.That(draft!.Lead, Is.EqualTo(TimeSpan.FromMinutes(minutes)));
    }

    [TestCase("-PT1H", "Must not be negative: occurrences appear before the due time.")]
    [TestCase("-2 days", "Must not be negative: occurrences appear before the due time.")]
    [TestCase("P366D", "Must be at most 365 days.")]
    [TestCase("53 weeks", "Must be at most 365 days.")]
    [TestCase("P1M", "Must be a duration such as 'PT15M', '15 minutes', '1 hour' or '2 days'.")]
    [TestCase("soon", "Must be a duration such as 'PT15M', '15 minutes', '1 hour' or '2 days'.")]
    public void Should_refuse_a_lead_that_is_negative_too_long_or_unreadable(string lead, string message)
    {
        var draft = Parse("daily", lead: lead);

        AssertRefused(draft, "recurrenceLead", message);
    }

    [Test]
    public void Should_refuse_a_lead_for_a_task_that_does_not_repeat()
    {
        var draft = Parse(null, lead: "PT2H");

        AssertRefused(draft, "recurrenceLead", "give recurrence too");
    }

    [Test]
    public void Should_name_both_fields_when_neither_belongs_to_a_recurrence()
    {
        var draft = Parse(null, mode: "completion", lead: "PT2H");

        Assert.That(draft, Is.Null);
        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "recurrenceMode", "recurrenceLead" }));
    }

    [Test]
    public void Should_leave_the_mode_alone_when_the_recurrence_itself_is_wrong()
    {
        var draft = Parse("every other fortnight-ish", mode: "completion", lead: "PT2H");

        Assert.That(draft, Is.Null);
        Assert.That(errors.Keys, Is.EqualTo(new[] { "recurrence" }));
    }

    /// <summary>The draft was refused for <paramref name="field"/> alone, with a message that says <paramref name="says"/>.</summary>
    private void AssertRefused(TaskDraft? draft, string field, string says)
    {
        Assert.That(draft, Is.Null);
        Assert.That(errors.Keys, Is.EqualTo(new[] { field }));
        Assert.That(errors[field].Single(), Does.Contain(says));
    }

    private TaskDraft? Parse(string? recurrence, string? mode = null, string? lead = null) => TaskDraft.Parse(
        new TaskRequest(
            "Water the plants",
            Due: new DueRequest(DateTime: "2027-03-22T09:00", TimeZone: "Europe/Paris"),
            Recurrence: recurrence,
            RecurrenceMode: mode,
            RecurrenceLead: lead),
        "UTC",
        errors);
}
