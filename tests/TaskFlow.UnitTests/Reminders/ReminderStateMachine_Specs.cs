// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using MassTransit;
using MassTransit.Scheduling;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TaskFlow.Components.Reminders;
using TaskFlow.Contracts;

namespace TaskFlow.UnitTests.Reminders;

/// <summary>
/// The reminder saga on MassTransit's test harness with a fake clock. Scheduling goes to a scheduler address nobody
/// serves, so each spec sees the ScheduleMessage the saga sent (its payload is the ReminderTriggered that will go out).
/// The transition to Fired when that event goes out is <see cref="FiredReminders"/>' single SQL statement, covered by the
/// integration specs; here the specs set it on the instance as that statement does, to see what the machine does next.
/// </summary>
public sealed class ReminderStateMachine_Specs
{
    private static readonly Uri SchedulerAddress = new("queue:scheduler-under-test");
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly Guid taskId = Guid.NewGuid();
    private readonly Guid ownerId = Guid.NewGuid();
    private FakeTimeProvider clock = null!;
    private ServiceProvider provider = null!;
    private ITestHarness harness = null!;
    private ISagaStateMachineTestHarness<ReminderStateMachine, ReminderState> saga = null!;

    private Guid ReminderId => ReminderIds.For(taskId, "PT15M");

    [SetUp]
    public async Task StartAsync()
    {
        clock = new FakeTimeProvider(Now);
        provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddMassTransitTestHarness(x =>
            {
                x.AddSagaStateMachine<ReminderStateMachine, ReminderState, ReminderStateDefinition>();
                x.AddMessageScheduler(SchedulerAddress);
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseMessageScheduler(SchedulerAddress);
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        saga = harness.GetSagaStateMachineHarness<ReminderStateMachine, ReminderState>();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await harness.Stop();
        await provider.DisposeAsync();
    }

    [Test]
    public async Task A_reminder_ahead_schedules_its_event_for_its_time()
    {
        var due = Now.AddHours(1);
        await PlanAsync(version: 1, due);

        var scheduled = await ScheduledAsync(1);
        var triggered = Payload(scheduled[0]);
        Assert.Multiple(() =>
        {
            Assert.That(scheduled[0].ScheduledTime, Is.EqualTo(due.AddMinutes(-15).UtcDateTime));
            Assert.That(triggered.IntendedAt, Is.EqualTo(due.AddMinutes(-15)));
            Assert.That(triggered.Title, Is.EqualTo("Call the plumber"));
            Assert.That(triggered.OwnerId, Is.EqualTo(ownerId));
            Assert.That(triggered.TaskId, Is.EqualTo(taskId));
        });
        await StateIsAsync(m => m.Waiting);
        Assert.That(Instance().DueTokenId, Is.EqualTo(scheduled[0].CorrelationId), "the token its event goes out with");
    }

    [Test]
    public async Task Moving_the_due_date_reschedules_and_cancels_the_old_event()
    {
        await PlanAsync(version: 1, Now.AddHours(1));
        var first = (await ScheduledAsync(1))[0];

        await PlanAsync(version: 2, Now.AddHours(3));
        var second = (await ScheduledAsync(2))[1];
        Assert.That(second.ScheduledTime, Is.EqualTo(Now.AddHours(3).AddMinutes(-15).UtcDateTime));
        Assert.That(await harness.Sent.Any<CancelScheduledMessage>(m => m.Context.Message.TokenId == first.CorrelationId), Is.True,
            "the first schedule is cancelled");
        Assert.That(Instance().DueTokenId, Is.EqualTo(second.CorrelationId), "only the new event is the reminder's");
    }

    [Test]
    public async Task A_plan_older_than_the_one_applied_changes_nothing()
    {
        await PlanAsync(version: 3, Now.AddHours(2));
        await ScheduledAsync(1);
        await PlanAsync(version: 2, Now.AddHours(5));

        await ConsumedAsync<ScheduleReminder>(2);
        Assert.That(Scheduled(), Has.Count.EqualTo(1));
        Assert.That(Instance().PlannedAt, Is.EqualTo(Now.AddHours(2).AddMinutes(-15)));
    }

    [Test]
    public async Task A_new_title_with_the_same_time_replaces_the_scheduled_event_with_one_that_has_the_new_title()
    {
        await PlanAsync(version: 1, Now.AddHours(1));
        var first = (await ScheduledAsync(1))[0];
        await PlanAsync(version: 2, Now.AddHours(1), title: "Call the electrician");

        var second = (await ScheduledAsync(2))[1];
        Assert.Multiple(() =>
        {
            Assert.That(second.ScheduledTime, Is.EqualTo(first.ScheduledTime), "same time");
            Assert.That(Payload(second).Title, Is.EqualTo("Call the electrician"));
        });
        Assert.That(await harness.Sent.Any<CancelScheduledMessage>(m => m.Context.Message.TokenId == first.CorrelationId), Is.True);
    }

    [Test]
    public async Task A_new_title_seconds_before_the_reminder_goes_off_leaves_the_event_alone()
    {
        await PlanAsync(version: 1, Now.AddMinutes(15).AddSeconds(5));
        await ScheduledAsync(1);
        await PlanAsync(version: 2, Now.AddMinutes(15).AddSeconds(5), title: "Call the electrician");

        await ConsumedAsync<ScheduleReminder>(2);
        Assert.That(Scheduled(), Has.Count.EqualTo(1), "replacing it now could send both");
        Assert.That(Instance().Title, Is.EqualTo("Call the electrician"));
    }

    [Test]
    public async Task Completing_the_task_cancels_and_reopening_schedules_again_while_still_ahead()
    {
        await PlanAsync(version: 1, Now.AddHours(1));
        var first = (await ScheduledAsync(1))[0];

        await SendAsync(new CancelReminder(ReminderId, taskId, 2, Discard: false));
        await StateIsAsync(m => m.Stopped);
        Assert.That(await harness.Sent.Any<CancelScheduledMessage>(m => m.Context.Message.TokenId == first.CorrelationId), Is.True);
        Assert.That(Instance().DueTokenId, Is.Null, "no event is the reminder's");

        await PlanAsync(version: 3, Now.AddHours(1));
        var again = (await ScheduledAsync(2))[1];
        Assert.That(again.CorrelationId, Is.Not.EqualTo(first.CorrelationId));
        await StateIsAsync(m => m.Waiting);
    }

    [Test]
    public async Task A_reminder_whose_time_passed_on_a_task_not_yet_due_is_scheduled_for_at_once()
    {
        await PlanAsync(version: 1, Now.AddMinutes(5));

        var scheduled = (await ScheduledAsync(1))[0];
        Assert.Multiple(() =>
        {
            Assert.That(scheduled.ScheduledTime, Is.LessThanOrEqualTo(Now.UtcDateTime), "the scheduler sends it at once");
            Assert.That(Payload(scheduled).IntendedAt, Is.EqualTo(Now.AddMinutes(-10)));
        });

        await StateIsAsync(m => m.Waiting);
    }

    [Test]
    public async Task A_task_already_overdue_gets_no_reminder()
    {
        await PlanAsync(version: 1, Now.AddMinutes(-1));

        await StateIsAsync(m => m.Skipped);
        Assert.That(Scheduled(), Is.Empty);
    }

    [Test]
    public async Task Snoozing_a_fired_reminder_schedules_it_again_for_the_end_of_the_snooze()
    {
        await PlanAsync(version: 1, Now.AddMinutes(5));
        WentOut((await ScheduledAsync(1))[0]);

        var until = Now.AddMinutes(10);
        await SendAsync(new SnoozeReminder(ReminderId, taskId, ownerId, until));
        var snoozed = (await ScheduledAsync(2))[1];
        Assert.Multiple(() =>
        {
            Assert.That(snoozed.ScheduledTime, Is.EqualTo(until.UtcDateTime));
            Assert.That(Payload(snoozed).IntendedAt, Is.EqualTo(until));
        });
        await StateIsAsync(m => m.Waiting);

        Assert.That(Instance().DueTokenId, Is.EqualTo(snoozed.CorrelationId));
    }

    [Test]
    public async Task A_repeated_plan_for_a_time_it_already_fired_for_does_not_fire_again()
    {
        await PlanAsync(version: 1, Now.AddMinutes(5));
        WentOut((await ScheduledAsync(1))[0]);
        await SendAsync(new CancelReminder(ReminderId, taskId, 2, Discard: false));
        await StateIsAsync(m => m.Stopped);

        await PlanAsync(version: 3, Now.AddMinutes(5));
        await StateIsAsync(m => m.Fired);
        Assert.That(Scheduled(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_discarded_reminder_is_removed_when_its_expiry_arrives()
    {
        await PlanAsync(version: 1, Now.AddHours(1));
        await ScheduledAsync(1);

        await SendAsync(new CancelReminder(ReminderId, taskId, 2, Discard: true));
        await StateIsAsync(m => m.Discarded);
        var expiry = Scheduled<ReminderExpired>().Single();
        Assert.That(expiry.ScheduledTime, Is.EqualTo(Now.Add(new ReminderOptions().DiscardedKeptFor).UtcDateTime).Within(TimeSpan.FromSeconds(1)));

        await SendWithTokenAsync(new ReminderExpired(ReminderId), expiry.CorrelationId);
        Assert.That(await saga.NotExists(ReminderId), Is.Null, "removed");
    }

    [Test]
    public async Task A_discarded_reminder_comes_back_when_a_newer_plan_has_it_again()
    {
        await PlanAsync(version: 1, Now.AddHours(1));
        await SendAsync(new CancelReminder(ReminderId, taskId, 2, Discard: true));
        await StateIsAsync(m => m.Discarded);

        await PlanAsync(version: 3, Now.AddHours(2));
        await StateIsAsync(m => m.Waiting);
        Assert.That(Instance().ExpiryTokenId, Is.Null, "the expiry is unscheduled");
    }

    [Test]
    public async Task Messages_for_an_unknown_reminder_create_nothing()
    {
        await SendAsync(new SnoozeReminder(ReminderId, taskId, ownerId, Now.AddMinutes(5)));
        await SendAsync(new CancelReminder(ReminderId, taskId, 1, Discard: true));

        // The endpoint takes messages side by side: each one must have been handled before "nothing" means anything.
        Assert.That(await harness.Consumed.Any<SnoozeReminder>(m => m.Context.Message.ReminderId == ReminderId), Is.True, "the snooze handled");
        Assert.That(await harness.Consumed.Any<CancelReminder>(m => m.Context.Message.ReminderId == ReminderId), Is.True, "the cancel handled");
        Assert.That(saga.Sagas.Contains(ReminderId), Is.Null);
    }

    private async Task SendAsync<T>(T message, Action<SendContext<T>>? headers = null) where T : class
    {
        var endpoint = await harness.Bus.GetSendEndpoint(ReminderStateDefinition.Address);
        await endpoint.Send(message, c => headers?.Invoke(c));
    }

    private Task PlanAsync(int version, DateTimeOffset due, string title = "Call the plumber") =>
        SendAsync(new ScheduleReminder(ReminderId, taskId, ownerId, version, title,
            new DueSnapshot(due.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), false, "UTC", due),
            "PT15M", due.AddMinutes(-15)));

    /// <summary>The scheduled event went out now, recorded as <see cref="FiredReminders"/> records it.</summary>
    private void WentOut(ScheduleMessage scheduled)
    {
        var instance = Instance();
        Assert.That((instance.CurrentState, instance.DueTokenId), Is.EqualTo((saga.StateMachine.Waiting.Name, (Guid?)scheduled.CorrelationId)),
            "waiting for this event");
        instance.CurrentState = saga.StateMachine.Fired.Name;
        instance.FiredAt = instance.UpdatedAt = clock.GetUtcNow();
        instance.FiredFor = instance.PlannedAt;
        instance.FiredTokenId = scheduled.CorrelationId;
        instance.DueTokenId = null;
    }

    private static ReminderTriggered Payload(ScheduleMessage scheduled) =>
        scheduled.Payload as ReminderTriggered ?? throw new AssertionException($"not a ReminderTriggered: {scheduled.Payload}");

    private async Task SendWithTokenAsync<T>(T message, Guid token) where T : class
    {
        var before = harness.Consumed.Select<T>().Count();
        await SendAsync(message, c => c.Headers.Set(MessageHeaders.SchedulingTokenId, token.ToString("D")));
        await ConsumedAsync<T>(before + 1);
    }

    private async Task ConsumedAsync<T>(int count) where T : class
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (saga.Consumed.Select<T>().Count() < count)
            await Task.Delay(10, deadline.Token);
    }

    private List<ScheduleMessage> Scheduled() => Scheduled<ReminderTriggered>();

    private List<ScheduleMessage> Scheduled<T>() =>
        harness.Sent.Select<ScheduleMessage>()
            .Select(m => m.Context.Message)
            .Where(m => m.PayloadType.Any(t => t.Contains(typeof(T).Name, StringComparison.Ordinal)))
            .ToList();

    private async Task<List<ScheduleMessage>> ScheduledAsync(int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Scheduled().Count < count)
            await Task.Delay(10, deadline.Token);
        return Scheduled();
    }

    private ReminderState Instance() => saga.Sagas.Contains(ReminderId) ?? throw new AssertionException("no instance");

    private async Task StateIsAsync(Func<ReminderStateMachine, State> state) =>
        Assert.That(await saga.Exists(ReminderId, state), Is.EqualTo(ReminderId), $"in state {state(saga.StateMachine).Name}");
}
