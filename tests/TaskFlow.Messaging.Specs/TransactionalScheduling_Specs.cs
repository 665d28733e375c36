using MassTransit;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Sagas;
using TaskFlow.Messaging.Scheduling;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// A saga behind the inbox in a process that runs the scheduler service: its Schedule/Unschedule write and delete the
/// scheduled_message row in the inbox's own transaction, with its state, and nothing goes to the scheduler queue.
/// </summary>
[Category(SpecCategories.Timing)]
public class When_a_saga_schedules_behind_the_inbox
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    private readonly TransactionCounter transactions = new();
    private readonly SchedulerQueueReceipts schedulerQueue = new();
    private SpecEnvironment environment = null!;
    private SpecHost worker = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        environment = await SpecEnvironment.CreateAsync("txsched");
        worker = await environment.StartHostAsync(x =>
        {
            x.AddSingleton<IInterceptor>(transactions);
            // The background services' own statements (sweep, inbox cleanup) would count as transactions of the spec's.
            x.AddTaskFlowMessageScheduler<SpecDbContext>(o => o.SweepInterval = TimeSpan.FromMinutes(10));
            x.AddMessageScheduler(TaskFlowScheduler.Address());
            x.AddTaskFlowOutbox<SpecDbContext>(o => o.QueryDelay = TimeSpan.FromMinutes(10));
            x.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                if (name == "alarms")
                    endpoint.UseTaskFlowOutbox<SpecDbContext>(context);
            });
            x.AddSagaStateMachine<AlarmStateMachine, Alarm>()
                .TaskFlowRepository(r => r.ExistingDbContext<SpecDbContext>())
                .Endpoint(e => e.Name = "alarms");
        }, (_, cfg) => cfg.UseMessageScheduler(TaskFlowScheduler.Address()));
        worker.Bus.ConnectReceiveObserver(schedulerQueue);
        // The inbox cleanup's first pass runs as the host starts; after it, only the specs' messages commit anything.
        await Eventually.HoldsAsync(() => Task.FromResult(transactions.Committed >= 1), "the inbox cleanup's first pass");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await environment.DisposeAsync();

    [Test]
    public async Task Should_commit_the_schedule_with_the_state_in_one_transaction_and_send_it_at_its_time_with_its_token()
    {
        var id = NewId.NextGuid();
        // Far enough ahead that the bucket's job (which reads the table in a transaction of its own, 1 s early) has not
        // begun when the count is taken.
        var due = DateTime.UtcNow.AddSeconds(6);
        var before = transactions.Committed;

        await SendAsync(new SetAlarm(id, due));

        await Eventually.HoldsAsync(async () => await StateAsync(id) == "Waiting", "alarm set");
        var token = await environment.Database.ScalarAsync<Guid?>("SELECT ring_token FROM alarm WHERE correlation_id = @id", ("id", id));
        Assert.Multiple(async () =>
        {
            Assert.That(token, Is.Not.Null);
            Assert.That(await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message WHERE token_id = @token", ("token", token!)),
                Is.EqualTo(1), "stored under the saga's token by the time its state is visible");
            Assert.That(transactions.Committed - before, Is.EqualTo(1), "one PostgreSQL transaction for the saga's step and its schedule");
        });

        await Eventually.HoldsAsync(async () => await StateAsync(id) == "Rang", "alarm rang", due - DateTime.UtcNow + Recorder.Deadline);
        var rang = await environment.Database.ScalarAsync<DateTime?>("SELECT rang_at FROM alarm WHERE correlation_id = @id", ("id", id));
        var sent = await environment.Database.ScalarAsync<DateTime?>("SELECT sent_at FROM alarm WHERE correlation_id = @id", ("id", id));
        Assert.Multiple(() =>
        {
            Assert.That(rang, Is.InRange(due.AddMilliseconds(-50), due + Tolerance), "arrived at its time, accepted under the saga's token");
            Assert.That(sent, Is.InRange(due.AddMilliseconds(-50), due + Tolerance), "MT-Quartz-Sent");
            Assert.That(schedulerQueue.Received, Is.Zero, "nothing on the scheduler queue");
        });
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message WHERE token_id = @token",
            ("token", token!)) == 0, "row removed once sent");
    }

    [Test]
    public async Task Should_keep_neither_the_state_nor_the_schedule_when_the_saga_fails()
    {
        var id = NewId.NextGuid();

        await SendAsync(new SetAlarm(id, DateTime.UtcNow.AddSeconds(30), Explode: true));

        await Eventually.HoldsAsync(async () => (await environment.VirtualHost.PeekAsync("alarms_error")).Count > 0, "the failed message");
        Assert.Multiple(async () =>
        {
            Assert.That(await environment.Database.CountAsync("SELECT count(*) FROM alarm WHERE correlation_id = @id", ("id", id)), Is.Zero);
            Assert.That(await ScheduledForAsync(id), Is.Zero, "the schedule rolled back with the state");
            Assert.That(schedulerQueue.Received, Is.Zero, "nothing on the scheduler queue");
        });
    }

    [Test]
    public async Task Should_remove_the_schedule_with_the_step_that_cancels_it()
    {
        var atOnce = NewId.NextGuid();
        var later = NewId.NextGuid();
        var due = DateTime.UtcNow.AddSeconds(30);

        await SendAsync(new SetAlarm(atOnce, due, StopAtOnce: true), new SetAlarm(later, due));
        await Eventually.HoldsAsync(async () => await StateAsync(atOnce) == "Waiting" && await StateAsync(later) == "Waiting", "both set");
        Assert.That(await ScheduledForAsync(later), Is.EqualTo(1));
        await SendAsync(new StopAlarm(later));
        await Eventually.HoldsAsync(async () => await StateAsync(later) == "Stopped", "stopped");

        // No waiting: the rows are gone by the time the states that cancelled them are visible.
        Assert.Multiple(async () =>
        {
            Assert.That(await ScheduledForAsync(atOnce), Is.Zero, "scheduled and cancelled in one consume: never stored");
            Assert.That(await ScheduledForAsync(later), Is.Zero, "cancelled with the step that stopped it");
            Assert.That(await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message_tombstone"), Is.GreaterThanOrEqualTo(2),
                "cancelled tokens stay cancelled");
            Assert.That(schedulerQueue.Received, Is.Zero, "nothing on the scheduler queue");
        });
    }

    [Test]
    public async Task Should_send_every_one_of_a_burst_set_just_before_its_second()
    {
        const int count = 200;
        var ids = Enumerable.Range(0, count).Select(_ => NewId.NextGuid()).ToArray();
        // Inside the window where each commit's trigger is looked up in Quartz's store rather than remembered: the
        // steps share those lookups, and one that began before a step committed must not count for it. The sweep is
        // 10 minutes away here, so a row whose trigger was missed would not arrive within the wait.
        var due = DateTime.UtcNow.AddSeconds(3);

        await SendAsync(ids.Select(id => (object)new SetAlarm(id, due)).ToArray());

        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync(
            "SELECT count(*) FROM alarm WHERE correlation_id = ANY(@ids) AND current_state = 'Rang'", ("ids", ids)) == count,
            "every alarm rang", TimeSpan.FromSeconds(60));
        Assert.Multiple(async () =>
        {
            Assert.That(await environment.Database.CountAsync(
                "SELECT count(*) FROM alarm WHERE correlation_id = ANY(@ids) AND sent_at < @due", ("ids", ids), ("due", due.AddMilliseconds(-50))), Is.Zero,
                "none early");
            Assert.That(schedulerQueue.Received, Is.Zero, "nothing on the scheduler queue");
        });
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message") == 0, "all sent rows removed");
    }

    private async Task SendAsync(params object[] messages)
    {
        var endpoint = await worker.Bus.GetSendEndpoint(new Uri("queue:alarms"));
        await endpoint.SendBatch(messages);
    }

    private Task<string?> StateAsync(Guid id) =>
        environment.Database.ScalarAsync<string>("SELECT current_state FROM alarm WHERE correlation_id = @id", ("id", id));

    /// <summary>Rows whose AlarmRang is for this alarm (the serialized body names it).</summary>
    private Task<long> ScheduledForAsync(Guid id) =>
        environment.Database.CountAsync("SELECT count(*) FROM scheduled_message WHERE body LIKE '%' || @id || '%'", ("id", id.ToString("D")));

    /// <summary>Every message received on the scheduler's queue (ScheduleMessage, CancelScheduledMessage).</summary>
    private sealed class SchedulerQueueReceipts : IReceiveObserver
    {
        private int received;

        public int Received => Volatile.Read(ref received);

        public Task PreReceive(ReceiveContext context)
        {
            if (context.InputAddress.AbsolutePath.EndsWith("/" + TaskFlow.Messaging.Scheduling.TaskFlowSchedulerOptions.DefaultQueueName, StringComparison.Ordinal))
                Interlocked.Increment(ref received);
            return Task.CompletedTask;
        }

        public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
            where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
            where T : class => Task.CompletedTask;

        public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
    }
}
