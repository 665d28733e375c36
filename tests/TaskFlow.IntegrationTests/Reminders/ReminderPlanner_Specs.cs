using MassTransit;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Components.Reminders;
using TaskFlow.Contracts;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.Testing;
using static TaskFlow.IntegrationTests.Audit.When_the_audit_log_reaches_a_month_without_a_partition;

namespace TaskFlow.IntegrationTests.Reminders;

/// <summary>
/// What the reminder planner costs PostgreSQL, counted as the transactions its host commits while it works off events
/// that waited in its queue. Beside the planner the host only runs the inbox cleanup, a statement or two.
/// </summary>
public sealed class When_the_reminder_planner_works_off_a_backlog_of_creations
{
    private const int Events = 200;

    [Test]
    public async Task Should_spend_no_transaction_on_creations_without_reminders()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("plannerplain");
        await using var broker = await TestVirtualHost.CreateAsync("plannerplain");
        await DeclareAsync(database, broker);
        for (var i = 0; i < Events; i++)
            await PublishAsync(broker, Created(Guid.NewGuid(), 1, $"Plain {i}", due: null));

        var transactions = new TransactionCounter();
        using var planner = await StartAsync(database, broker, transactions: transactions);
        await Eventually.MatchesAsync(() => AcknowledgedAsync(broker), n => n >= Events, TimeSpan.FromSeconds(60),
            "every creation taken by the planner");
        await planner.StopAsync();
        await TestContext.Out.WriteLineAsync($"{transactions.Committed} transactions for {Events} creations without reminders");

        Assert.That(transactions.Committed, Is.LessThan(5),
            $"PostgreSQL transactions while the planner took {Events} creations without reminders (the inbox cleanup's)");
    }

    [Test]
    public async Task Should_plan_a_batch_of_creations_with_a_reminder_in_far_fewer_transactions_than_creations()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("plannerbatch");
        await using var broker = await TestVirtualHost.CreateAsync("plannerbatch");
        await DeclareAsync(database, broker);
        var due = DateTimeOffset.UtcNow.AddDays(1);
        for (var i = 0; i < Events; i++)
            await PublishAsync(broker, Created(Guid.NewGuid(), 1, $"With a reminder {i}", due));

        var transactions = new TransactionCounter();
        using var planner = await StartAsync(database, broker, transactions: transactions);
        // Nothing consumes the saga's queue here: its commands wait there, one per reminder.
        await Eventually.MatchesAsync(() => broker.WaitingAsync(ReminderStateDefinition.Queue), n => n >= Events, TimeSpan.FromSeconds(60),
            "a command for every reminder");
        await planner.StopAsync();
        await TestContext.Out.WriteLineAsync($"{transactions.Committed} transactions for {Events} creations with a reminder");

        Assert.Multiple(async () =>
        {
            Assert.That(transactions.Committed, Is.LessThan(Events / 10), $"PostgreSQL transactions while the planner planned {Events} reminders");
            Assert.That(await database.CountAsync("SELECT count(*) FROM reminder_plan WHERE task_version = 1"), Is.EqualTo(Events), "every plan recorded");
            Assert.That(await broker.WaitingAsync(ReminderStateDefinition.Queue), Is.EqualTo(Events), "one command per reminder");
        });
    }

    /// <summary>A first start declares the queues and their bindings; the events then wait for the measured run.</summary>
    internal static async Task DeclareAsync(TestDatabase database, TestVirtualHost broker, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        using var declaring = await StartAsync(database, broker, consumers);
        await declaring.StopAsync();
    }

    /// <summary>A worker host with the planner alone, or with <paramref name="consumers"/>, its transactions counted.</summary>
    internal static Task<Microsoft.Extensions.Hosting.IHost> StartAsync(TestDatabase database, TestVirtualHost broker,
        Action<IBusRegistrationConfigurator>? consumers = null, TransactionCounter? transactions = null) =>
        WorkerHost.StartWithAsync(database.ConnectionString, broker.ConnectionString,
            consumers ?? (bus => bus.AddConsumer<ReminderPlanner, ReminderPlannerDefinition>()),
            host =>
            {
                if (transactions is not null)
                    host.Services.AddSingleton<IInterceptor>(transactions);
            });

    private static async Task<long> AcknowledgedAsync(TestVirtualHost broker) =>
        await broker.QueueAsync(ReminderPlannerDefinition.Queue) is { } queue
        && queue.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("ack", out var ack)
            ? ack.GetInt64()
            : 0;

    internal static TaskCreated Created(Guid taskId, int version, string title, DateTimeOffset? due, Guid? ownerId = null) =>
        new(Guid.NewGuid(), taskId, ownerId ?? Guid.NewGuid(), version, DateTimeOffset.UtcNow, new TaskSnapshot(
            title, null, "none", [], "open",
            due is { } at ? new DueSnapshot(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), false, "UTC", at) : null,
            due is null ? [] : ["PT1M"], null, null));

    internal static Task PublishAsync(TestVirtualHost broker, TaskCreated created, Guid? messageId = null) =>
        broker.PublishRawAsync("taskflow.tasks.created", MassTransitEnvelope(created, nameof(TaskCreated), messageId), "application/vnd.masstransit+json");
}

/// <summary>
/// What setting a reminder costs the worker beyond the task's other consumers: the planner, the reminder saga and the
/// scheduler that stores its event, counted as the transactions their host commits for a backlog of creations.
/// </summary>
public sealed class When_the_reminder_path_works_off_a_backlog_of_creations
{
    private const int Events = 200;

    [Test]
    public async Task Should_schedule_each_reminder_in_little_more_than_one_transaction()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("reminderpath");
        await using var broker = await TestVirtualHost.CreateAsync("reminderpath");
        await When_the_reminder_planner_works_off_a_backlog_of_creations.DeclareAsync(database, broker, Reminders);
        var due = DateTimeOffset.UtcNow.AddDays(1);
        for (var i = 0; i < Events; i++)
            await When_the_reminder_planner_works_off_a_backlog_of_creations.PublishAsync(broker,
                When_the_reminder_planner_works_off_a_backlog_of_creations.Created(Guid.NewGuid(), 1, $"With a reminder {i}", due));

        var transactions = new TransactionCounter();
        using var worker = await When_the_reminder_planner_works_off_a_backlog_of_creations.StartAsync(database, broker, Reminders, transactions);
        await Eventually.MatchesAsync(() => database.CountAsync("SELECT count(*) FROM scheduled_message"), n => n == Events,
            TimeSpan.FromSeconds(60), "every reminder's event stored by the scheduler");
        // Stopping lets every message in flight finish, the saga's delivery of what it sent included.
        await worker.StopAsync();
        await TestContext.Out.WriteLineAsync($"{transactions.Committed} transactions for {Events} reminders planned and scheduled");

        Assert.Multiple(async () =>
        {
            // The saga's step writes its scheduled event in its own transaction (transactional scheduling): one per
            // reminder, where it was two plus the scheduler's batches (425 for 200); the planner's batches beside it.
            Assert.That(transactions.Committed, Is.LessThan(Events * 5 / 4), "transactions of the planner, the saga and its schedule");
            Assert.That(await database.CountAsync("SELECT count(*) FROM reminder_state WHERE current_state = 'Waiting'"), Is.EqualTo(Events));
        });
    }

    private static void Reminders(IBusRegistrationConfigurator bus) => bus.AddTaskFlowReminders();
}

/// <summary>
/// The planner records a plan, then sends its commands, then acknowledges the event. A worker killed between the commit
/// and the sends leaves a recorded plan and an event that comes back; one killed after the sends, an event that comes
/// back although its commands went out. Either way the reminder fires once.
/// </summary>
public sealed class When_a_creation_comes_back_after_its_plan_was_recorded
{
    [Test]
    public async Task Should_fire_its_reminder_once_whether_its_commands_went_out_or_not()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("plannerredelivery");
        await using var broker = await TestVirtualHost.CreateAsync("plannerredelivery");
        await using var watcher = await ReminderWatcher.StartAsync(broker.ConnectionString, "taskflow-test-reminder-watch");
        using var worker = await WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString);
        var fireAt = ReminderApi.SecondsAhead(4);

        var lost = When_the_reminder_planner_works_off_a_backlog_of_creations.Created(Guid.NewGuid(), 1, "Commands lost", fireAt.AddMinutes(1));
        await database.ExecuteAsync($"""
            INSERT INTO reminder_plan (task_id, task_version, reminder_ids)
            VALUES ('{lost.TaskId}', 1, ARRAY['{ReminderIds.For(lost.TaskId, "PT1M")}']::uuid[])
            """);
        await When_the_reminder_planner_works_off_a_backlog_of_creations.PublishAsync(broker, lost);

        var sent = When_the_reminder_planner_works_off_a_backlog_of_creations.Created(Guid.NewGuid(), 1, "Commands sent", fireAt.AddMinutes(1));
        var messageId = Guid.NewGuid();
        await When_the_reminder_planner_works_off_a_backlog_of_creations.PublishAsync(broker, sent, messageId);
        await Eventually.MatchesAsync(
            () => database.CountAsync("SELECT count(*) FROM reminder_state WHERE task_id = @t AND current_state = 'Waiting'", ("t", sent.TaskId)),
            n => n == 1, what: "the first delivery's reminder scheduled");
        await When_the_reminder_planner_works_off_a_backlog_of_creations.PublishAsync(broker, sent, messageId);

        // Fires after both: once it arrived, a second reminder of either would have too.
        var marker = When_the_reminder_planner_works_off_a_backlog_of_creations.Created(Guid.NewGuid(), 1, "Marker", fireAt.AddMinutes(1).AddSeconds(2));
        await When_the_reminder_planner_works_off_a_backlog_of_creations.PublishAsync(broker, marker);
        await watcher.WaitForAsync(marker.TaskId, 1, TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(watcher.Of(lost.TaskId).Select(d => d.Reminder.EventId).Distinct().Count(), Is.EqualTo(1),
                "the reminder whose commands were lost after its plan was recorded");
            Assert.That(watcher.Of(sent.TaskId).Select(d => d.Reminder.EventId).Distinct().Count(), Is.EqualTo(1),
                "the reminder whose event came again after its commands went out");
        });
        await worker.StopAsync();
    }
}
