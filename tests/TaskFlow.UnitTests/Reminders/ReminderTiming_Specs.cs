// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using TaskFlow.Components.Reminders;

namespace TaskFlow.UnitTests.Reminders;

public sealed class ReminderTiming_Specs
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [TestCase(10, 60, false, null, null, ReminderDecision.Later)]
    [TestCase(-10, 60, false, null, null, ReminderDecision.Now)]
    [TestCase(-10, -1, false, null, null, ReminderDecision.Overdue)]
    [TestCase(0, 15, false, null, null, ReminderDecision.Now)]
    [TestCase(10, 60, true, 10, null, ReminderDecision.Keep)]
    [TestCase(10, 60, true, 20, null, ReminderDecision.Later)]
    [TestCase(-10, 60, false, -10, -10, ReminderDecision.AlreadyFired)]
    [TestCase(10, 60, false, 10, null, ReminderDecision.Later)]
    public void Decides_from_the_planned_time_the_due_time_and_what_it_did_before(
        int plannedMinutes, int dueMinutes, bool following, int? previousMinutes, int? firedForMinutes, ReminderDecision expected)
    {
        var decision = ReminderTiming.Decide(
            Now.AddMinutes(plannedMinutes), Now.AddMinutes(dueMinutes), following,
            previousMinutes is { } p ? Now.AddMinutes(p) : null, firedForMinutes is { } f ? Now.AddMinutes(f) : null, Now);

        Assert.That(decision, Is.EqualTo(expected));
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
}
