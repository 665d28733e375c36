// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using TaskFlow.Components.Reminders;
using TaskFlow.Contracts;

namespace TaskFlow.UnitTests.Reminders;

public sealed class ReminderTiming_Specs
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan RefreshHorizon = new ReminderOptions().RefreshHorizon;

    [TestCase(10, 60, "Initial", null, null, ReminderDecision.Later)]
    [TestCase(-10, 60, "Initial", null, null, ReminderDecision.Now)]
    [TestCase(-10, -1, "Initial", null, null, ReminderDecision.Overdue)]
    [TestCase(0, 15, "Initial", null, null, ReminderDecision.Now)]
    [TestCase(10, 60, "Fired", 10, null, ReminderDecision.Keep)]
    [TestCase(10, 60, "Fired", 20, null, ReminderDecision.Later)]
    [TestCase(10, 60, "Waiting", 20, null, ReminderDecision.Later)]
    [TestCase(-10, 60, "Stopped", -10, -10, ReminderDecision.AlreadyFired)]
    [TestCase(10, 60, "Stopped", 10, null, ReminderDecision.Later)]
    [TestCase(10, 60, "Discarded", 10, null, ReminderDecision.Later)]
    [TestCase(-10, -1, "Skipped", -10, null, ReminderDecision.Overdue)]
    public void Decides_a_plan_from_the_planned_time_the_due_time_and_what_it_did_before(
        int plannedMinutes, int dueMinutes, string state, int? previousMinutes, int? firedForMinutes, ReminderDecision expected)
    {
        var reminder = Reminder(state, previousMinutes is { } p ? Now.AddMinutes(p) : default, firedForMinutes is { } f ? Now.AddMinutes(f) : null);

        var step = ReminderTiming.Decide(reminder, Plan(Now.AddMinutes(plannedMinutes), Now.AddMinutes(dueMinutes)), Now, RefreshHorizon);

        Assert.That(step.Decision, Is.EqualTo(expected));
    }

    [Test]
    public void A_new_plan_time_becomes_both_the_planned_and_the_fire_time()
    {
        var snoozed = Reminder("Waiting", Now.AddMinutes(10), firedFor: null, fireAt: Now.AddMinutes(30));

        var step = ReminderTiming.Decide(snoozed, Plan(Now.AddMinutes(20), Now.AddHours(1)), Now, RefreshHorizon);

        Assert.That(step, Is.EqualTo(new ReminderStep(ReminderDecision.Later, Now.AddMinutes(20), Now.AddMinutes(20))));
        Assert.That((step.Schedules, step.Cancels), Is.EqualTo((true, false)));
    }

    [TestCase(30 * 60, ReminderDecision.Refresh, true)]
    [TestCase(5, ReminderDecision.Keep, false)]
    public void A_waiting_reminder_planned_again_for_its_time_replaces_its_event_unless_it_goes_out_within_the_horizon(
        int secondsToFire, ReminderDecision expected, bool schedules)
    {
        var fireAt = Now.AddSeconds(secondsToFire);
        var waiting = Reminder("Waiting", Now.AddMinutes(-5), firedFor: null, fireAt: fireAt);

        var step = ReminderTiming.Decide(waiting, Plan(Now.AddMinutes(-5), Now.AddHours(1)), Now, RefreshHorizon);

        Assert.That(step, Is.EqualTo(new ReminderStep(expected, Now.AddMinutes(-5), fireAt)), "the time stays, a snooze's end included");
        Assert.That((step.Schedules, step.Cancels), Is.EqualTo((schedules, false)));
    }

    [TestCase(true, ReminderDecision.Discard)]
    [TestCase(false, ReminderDecision.Stop)]
    public void A_cancel_stops_or_discards_and_keeps_the_times(bool discard, ReminderDecision expected)
    {
        var reminder = Reminder("Waiting", Now.AddMinutes(10), firedFor: null, fireAt: Now.AddMinutes(12));

        var step = ReminderTiming.Decide(reminder, new CancelReminder(reminder.CorrelationId, reminder.TaskId, 2, discard));

        Assert.That(step, Is.EqualTo(new ReminderStep(expected, Now.AddMinutes(10), Now.AddMinutes(12))));
        Assert.That((step.Schedules, step.Cancels), Is.EqualTo((false, true)));
    }

    [Test]
    public void A_snooze_fires_again_at_its_end_and_keeps_the_planned_time()
    {
        var reminder = Reminder("Fired", Now.AddMinutes(-10), firedFor: Now.AddMinutes(-10));

        var step = ReminderTiming.Decide(reminder, new SnoozeReminder(reminder.CorrelationId, reminder.TaskId, reminder.OwnerId, Now.AddMinutes(5)));

        Assert.That(step, Is.EqualTo(new ReminderStep(ReminderDecision.Snooze, Now.AddMinutes(-10), Now.AddMinutes(5))));
        Assert.That((step.Schedules, step.Cancels), Is.EqualTo((true, false)));
    }

    [Test]
    public void A_reminder_id_is_stable_for_its_task_and_offset_and_differs_otherwise()
    {
        var task = Guid.Parse("0195f7a2-8a7c-7c61-9c2e-3b7a5d1e4f00");
        var again = Guid.Parse(task.ToString());

        Assert.Multiple(() =>
        {
            Assert.That(ReminderIds.For(task, "PT15M"), Is.EqualTo(ReminderIds.For(again, "PT15M")));
            Assert.That(ReminderIds.For(task, "PT15M"), Is.Not.EqualTo(ReminderIds.For(task, "PT30M")));
            Assert.That(ReminderIds.For(task, "PT15M"), Is.Not.EqualTo(ReminderIds.For(Guid.NewGuid(), "PT15M")));
            Assert.That(ReminderIds.For(task, "PT15M").Version, Is.EqualTo(5));
        });
    }

    private static ReminderState Reminder(string state, DateTimeOffset plannedAt, DateTimeOffset? firedFor, DateTimeOffset? fireAt = null) => new()
    {
        CorrelationId = Guid.NewGuid(),
        TaskId = Guid.NewGuid(),
        OwnerId = Guid.NewGuid(),
        CurrentState = state,
        PlannedAt = plannedAt,
        FireAt = fireAt ?? plannedAt,
        FiredFor = firedFor,
    };

    private static ScheduleReminder Plan(DateTimeOffset plannedAt, DateTimeOffset dueAt) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 2, "Call the plumber", new DueSnapshot("", false, "UTC", dueAt), "PT15M", plannedAt);
}
