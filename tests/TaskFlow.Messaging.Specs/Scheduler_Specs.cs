using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Scheduling;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// MassTransit's ScheduleSend, reschedule and cancel against our scheduler service (scheduled_message + clustered Quartz
/// on PostgreSQL): on time, with the sender's headers and the scheduling token, once.
/// </summary>
[Category(SpecCategories.Timing)]
public class When_messages_are_scheduled
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    // Due times sit 4 s and more ahead: a fresh host's first messages (JIT, first connections) on a busy 2-core machine
    // took over 2 s to be stored, and a reschedule or cancel must land before the scheduler claims its second, 1 s early.

    [OneTimeSetUp]
    public void UseTokens() => SchedulerSpecs.UseReminderTokens();

    [Test]
    public async Task Should_send_each_at_its_time_with_its_headers_and_token_and_a_past_one_at_once()
    {
        await using var environment = await SpecEnvironment.CreateAsync("sched");
        var host = await environment.StartSchedulerHostAsync();
        // One message through the whole path first: the bounds below are the scheduler's, not a fresh process's first
        // compilation of it (3.5 s for "at once" with two busy loops beside it).
        await host.AwaitMarkerAsync();
        var start = DateTime.UtcNow;
        var fromConsumer = new ScheduleReminder(Guid.NewGuid(), "from a consumer", start.AddSeconds(4));
        var fromScheduler = new Reminder(Guid.NewGuid(), "from the scheduler");
        var past = new Reminder(Guid.NewGuid(), "in the past");

        await host.Bus.Publish(fromConsumer);
        var handle = await host.ScheduleAsync(fromScheduler, start.AddSeconds(5));
        await host.ScheduleAsync(past, start.AddSeconds(-30));

        await Eventually.HoldsAsync(() => Task.FromResult(host.Arrivals().Count == 3), "three reminders");
        var byLabel = host.Arrivals().ToDictionary(a => a.Reminder.Label);
        Assert.Multiple(() =>
        {
            Assert.That(handle.TokenId, Is.EqualTo(fromScheduler.Token));
            AssertOnTime(byLabel["from a consumer"], start.AddSeconds(4));
            AssertOnTime(byLabel["from the scheduler"], start.AddSeconds(5));
            Assert.That(byLabel["in the past"].ReceivedUtc - start, Is.LessThan(TimeSpan.FromSeconds(2)), "a past one goes at once");
            Assert.That(byLabel["from a consumer"].OriginHeader, Is.EqualTo("consumer"));
            Assert.That(byLabel["from the scheduler"].OriginHeader, Is.EqualTo("scheduler"));
            foreach (var arrival in byLabel.Values)
                Assert.That(Guid.Parse(arrival.TokenHeader!), Is.EqualTo(arrival.Reminder.Token), "the scheduling token header");
        });
        // The job deletes a row in the transaction it commits after the broker's confirm, so possibly after the arrival.
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message") == 0, "table emptied");
    }

    [Test]
    public async Task Should_move_a_rescheduled_message_and_never_send_a_cancelled_one()
    {
        await using var environment = await SpecEnvironment.CreateAsync("resched");
        var host = await environment.StartSchedulerHostAsync();
        var start = DateTime.UtcNow;
        var moved = new Reminder(Guid.NewGuid(), "moved");
        var cancelled = new Reminder(Guid.NewGuid(), "cancelled");
        var marker = new Reminder(Guid.NewGuid(), "last");

        await host.ScheduleAsync(moved, start.AddSeconds(4));
        var toCancel = await host.ScheduleAsync(cancelled, start.AddSeconds(4));
        await host.ScheduleAsync(marker, start.AddSeconds(6.5));
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message") == 3, "three stored");
        await host.ScheduleAsync(moved, start.AddSeconds(6));
        await host.Services.GetRequiredService<IMessageScheduler>().CancelScheduledSend(SchedulerSpecs.Reminders, toCancel.TokenId);
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync(
            "SELECT count(*) FROM scheduled_message WHERE token_id = @moved AND due_time > @due", ("moved", moved.Token), ("due", start.AddSeconds(5))) == 1
            && await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message WHERE token_id = @cancelled", ("cancelled", cancelled.Token)) == 0,
            "moved and cancelled");

        await host.Recorder.WaitUntilAsync(items => items.Any(i => i.Message is Arrival a && a.Reminder == marker), "the marker");
        var arrivals = host.Arrivals();
        Assert.Multiple(() =>
        {
            Assert.That(arrivals.Count(a => a.Reminder == moved), Is.EqualTo(1), "the moved one once");
            AssertOnTime(arrivals.Single(a => a.Reminder == moved), start.AddSeconds(6));
            Assert.That(arrivals.Where(a => a.Reminder == cancelled), Is.Empty, "the cancelled one never");
        });
    }

    [Test]
    public async Task Should_send_what_was_pending_when_the_only_scheduler_stopped_once_another_starts()
    {
        const int count = 20;
        await using var environment = await SpecEnvironment.CreateAsync("durable");
        var first = await environment.StartSchedulerHostAsync(o => o.MisfireThreshold = TimeSpan.FromSeconds(1));
        // Far enough ahead that the first host stops before its job begins preparing the bucket (a stopping host lets
        // a job it has begun finish, which would send them).
        var due = DateTime.UtcNow.AddSeconds(3) + new TaskFlowSchedulerOptions().PrepareAhead;
        var reminders = Enumerable.Range(1, count).Select(i => new Reminder(Guid.NewGuid(), $"pending {i}")).ToList();
        foreach (var reminder in reminders)
            await first.ScheduleAsync(reminder, due);
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message") == count, "all stored");
        var firstRecorder = first.Recorder;
        await environment.StopHostAsync(first);
        Assert.That(firstRecorder.Of<Arrival>(), Is.Empty);

        // Down well past the due time and the misfire threshold: the bucket's trigger misfires and fires at once.
        await Eventually.HoldsAsync(() => Task.FromResult(DateTime.UtcNow > due.AddSeconds(3)), "the due time long past");
        var second = await environment.StartSchedulerHostAsync(o => o.MisfireThreshold = TimeSpan.FromSeconds(1));
        var restarted = DateTime.UtcNow;
        await second.Recorder.WaitUntilAsync(items => items.Count(i => i.Message is Arrival) >= count, "everything pending");
        await second.AwaitMarkerAsync();
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message") == 0, "table emptied");

        var arrivals = second.Arrivals();
        Assert.That(arrivals.Select(a => a.Reminder).OrderBy(r => r.Token).ToList(), Is.EqualTo(reminders.OrderBy(r => r.Token).ToList()));
        TestContext.Progress.WriteLine($"after restart: last arrived {(arrivals.Max(a => a.ReceivedUtc) - restarted).TotalMilliseconds:F0} ms after start");
    }

    [Test]
    public async Task Should_fault_nothing_and_send_everything_once_when_a_scheduler_stops_while_busy()
    {
        const int count = 2000;
        await using var environment = await SpecEnvironment.CreateAsync("stopping");
        // Queued before any scheduler runs, so the one that starts is still storing them when it is told to stop;
        // already due, so each one stored goes to Quartz and is being sent as the stop begins.
        var sender = await environment.StartHostAsync(x => x.AddMessageScheduler(TaskFlowScheduler.Address()));
        var reminders = Enumerable.Range(1, count).Select(i => new Reminder(Guid.NewGuid(), $"queued {i}")).ToList();
        foreach (var chunk in reminders.Chunk(100))
            await Task.WhenAll(chunk.Select(r => sender.ScheduleAsync(r, DateTime.UtcNow)));

        var first = await environment.StartSchedulerHostAsync();
        await first.Recorder.WaitUntilAsync(items => items.Count(i => i.Message is Arrival) >= 100, "sending under way");
        var firstRecorder = first.Recorder;
        await environment.StopHostAsync(first);
        var sentByFirst = firstRecorder.Of<Arrival>();
        Assert.That(await environment.VirtualHost.PeekAsync($"{TaskFlowSchedulerOptions.DefaultQueueName}_error"), Is.Empty,
            "no ScheduleMessage faulted while the scheduler stopped");

        var second = await environment.StartSchedulerHostAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(sentByFirst.Count + second.Arrivals().Count >= count), "every one");
        await second.AwaitMarkerAsync();
        TestContext.Progress.WriteLine($"the first scheduler sent {sentByFirst.Count} of {count} before it stopped");
        Assert.That(sentByFirst, Has.Count.LessThan(count), "stopped while messages were still queued");
        Assert.That(sentByFirst.Concat(second.Arrivals()).Select(a => a.Reminder).OrderBy(r => r.Token).ToList(),
            Is.EqualTo(reminders.OrderBy(r => r.Token).ToList()), "each once");
    }

    [Test]
    public async Task Should_still_send_a_message_whose_trigger_was_lost_once_it_is_overdue()
    {
        await using var environment = await SpecEnvironment.CreateAsync("sweep");
        var host = await environment.StartSchedulerHostAsync(o =>
        {
            o.SweepInterval = TimeSpan.FromMilliseconds(500);
            o.SweepGrace = TimeSpan.FromSeconds(1);
        });
        var due = DateTime.UtcNow.AddSeconds(3);
        var orphan = new Reminder(Guid.NewGuid(), "orphan");
        await host.ScheduleAsync(orphan, due);
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync(
            "SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'taskflow-buckets'") == 1, "stored, with its bucket's trigger");

        var quartz = await host.Services.GetRequiredKeyedService<Quartz.ISchedulerFactory>("taskflow").GetScheduler();
        var name = await environment.Database.ScalarAsync<string>("SELECT trigger_name FROM qrtz_triggers WHERE trigger_group = 'taskflow-buckets'");
        var trigger = new Quartz.TriggerKey(name!, "taskflow-buckets");
        Assert.That(await quartz.UnscheduleJob(trigger), Is.True, "the bucket's trigger existed and is gone");

        var arrival = (await host.Recorder.WaitUntilAsync(items => items.Any(i => i.Message is Arrival), "the orphan"))
            .Select(i => i.Message).OfType<Arrival>().Single();
        Assert.That(arrival.ReceivedUtc - due, Is.InRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)),
            "late by the sweep's grace and interval, not lost");
    }

    [Test]
    public async Task Should_send_a_burst_due_in_one_second_and_what_joins_it_while_it_fires()
    {
        const int count = 2000;
        await using var environment = await SpecEnvironment.CreateAsync("burst");
        var host = await environment.StartSchedulerHostAsync();
        var due = DateTime.UtcNow.AddSeconds(40);
        var reminders = Enumerable.Range(1, count).Select(i => new Reminder(Guid.NewGuid(), $"burst {i}")).ToList();
        foreach (var chunk in reminders.Chunk(100))
            await Task.WhenAll(chunk.Select(r => host.ScheduleAsync(r, due)));
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message") == count, "all stored",
            due - DateTime.UtcNow);
        var storedBy = DateTime.UtcNow;

        await host.Recorder.WaitUntilAsync(items => items.Any(i => i.Message is Arrival), "the first of the burst", due - DateTime.UtcNow + TimeSpan.FromSeconds(60));
        // Committed while the bucket fires (or after it fired): must still leave promptly.
        var late = Enumerable.Range(1, 5).Select(i => new Reminder(Guid.NewGuid(), $"late {i}")).ToList();
        var lateAt = DateTime.UtcNow;
        foreach (var reminder in late)
            await host.ScheduleAsync(reminder, due);

        await host.Recorder.WaitUntilAsync(items => items.Count(i => i.Message is Arrival) >= count + late.Count, "the burst and the late ones",
            TimeSpan.FromSeconds(90));
        var arrivals = host.Arrivals();
        var lateness = arrivals.Where(a => a.Reminder.Label.StartsWith("burst", StringComparison.Ordinal))
            .Select(a => (a.ReceivedUtc - due).TotalMilliseconds).Order().ToList();
        var sentLateness = arrivals.Where(a => a.Reminder.Label.StartsWith("burst", StringComparison.Ordinal))
            .Select(a => (a.SentUtc!.Value - due).TotalMilliseconds).Order().ToList();
        TestContext.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"burst of {count}: stored {(due - storedBy).TotalSeconds:F1} s before due; lateness p50 {lateness[count / 2]:F0} ms, " +
            $"p99 {lateness[(count * 99 / 100) - 1]:F0} ms, max {lateness[^1]:F0} ms, min {lateness[0]:F0} ms; " +
            $"sent (MT-Quartz-Sent) p50 {sentLateness[count / 2]:F0} ms, max {sentLateness[^1]:F0} ms, min {sentLateness[0]:F0} ms; " +
            $"late ones arrived {(arrivals.Where(a => late.Contains(a.Reminder)).Max(a => a.ReceivedUtc) - lateAt).TotalMilliseconds:F0} ms after scheduling"));

        Assert.That(arrivals.Select(a => a.Reminder).Distinct().Count(), Is.EqualTo(count + late.Count));
        Assert.That(arrivals, Has.Count.EqualTo(count + late.Count));
        Assert.That(lateness[0], Is.GreaterThan(-50), "nothing early");
        // The burst is claimed PrepareAhead (1 s) before its due time, so at that time only sending is left: the first
        // leaves within a second, where a scheduler left to its overdue sweeper would send nothing before SweepGrace (5 s).
        // The last one also waits for the 1,999 before it, which took 0.7 s on a quiet machine and up to 6.4 s on two
        // busy cores: every one within 10 s keeps a floor of 200 msg/s through the confirm window. The late ones queue
        // behind the burst and are held to the same bound from the moment they could have gone.
        var lateOnesSent = arrivals.Where(a => late.Contains(a.Reminder)).Max(a => a.ReceivedUtc);
        var summary = string.Create(CultureInfo.InvariantCulture, $"lateness min {lateness[0]:F0} ms, p50 {lateness[count / 2]:F0} ms, max {lateness[^1]:F0} ms");
        Assert.Multiple(() =>
        {
            Assert.That(lateness[0], Is.LessThan(FirstLeavesWithin.TotalMilliseconds), $"the first of the burst within {FirstLeavesWithin} of its due time: {summary}");
            Assert.That(lateness[^1], Is.LessThan(BurstLeavesWithin.TotalMilliseconds), $"every one of the burst within {BurstLeavesWithin} of its due time: {summary}");
            Assert.That(lateOnesSent - (lateAt > due ? lateAt : due), Is.LessThan(BurstLeavesWithin),
                "the late ones within the same bound of their due time, or of their scheduling if that came after it");
        });
    }

    private static readonly TimeSpan FirstLeavesWithin = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BurstLeavesWithin = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Should_send_each_message_once_when_two_processes_share_the_store()
    {
        const int count = 200;
        await using var environment = await SpecEnvironment.CreateAsync("cluster");
        var first = await environment.StartSchedulerHostAsync();
        var second = await environment.StartSchedulerHostAsync();
        var start = DateTime.UtcNow.AddSeconds(3);
        var reminders = Enumerable.Range(0, count).Select(i => new Reminder(Guid.NewGuid(), $"shared {i}")).ToList();
        await Task.WhenAll(reminders.Select((r, i) => (i % 2 == 0 ? first : second).ScheduleAsync(r, start.AddMilliseconds(i * 10))));

        await Eventually.HoldsAsync(() => Task.FromResult(first.Arrivals().Count + second.Arrivals().Count >= count), "all sent");
        await first.AwaitMarkerAsync(second);

        var arrivals = first.Arrivals().Concat(second.Arrivals()).ToList();
        Assert.That(arrivals.Select(a => a.Reminder).OrderBy(r => r.Token).ToList(), Is.EqualTo(reminders.OrderBy(r => r.Token).ToList()), "each once");
        Assert.That(await environment.Database.CountAsync("SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = 'taskflow'"), Is.EqualTo(2),
            "two cluster nodes");
    }

    private static void AssertOnTime(Arrival arrival, DateTime due)
    {
        Assert.That(arrival.ReceivedUtc, Is.GreaterThanOrEqualTo(due.AddMilliseconds(-50)), $"{arrival.Reminder.Label} not early");
        Assert.That(arrival.ReceivedUtc, Is.LessThanOrEqualTo(due + Tolerance), string.Create(CultureInfo.InvariantCulture,
            $"{arrival.Reminder.Label} within {Tolerance} of its time (sent {(arrival.SentUtc - due)?.TotalMilliseconds:F0} ms after it)"));
    }
}
