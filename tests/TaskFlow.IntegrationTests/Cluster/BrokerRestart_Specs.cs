using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RabbitMQ.Client;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Cluster;

/// <summary>
/// The broker dies (or is stopped) under a steady mixed load and comes back: the API keeps answering (changes wait in the
/// outbox), both hosts reconnect by themselves, and every answered change is audited and notified exactly once.
/// </summary>
[NonParallelizable]
public class When_the_broker_goes_down_and_comes_back_under_load
{
    private const int Clients = 4;
    private const int ChangesPerPhase = 40;

    public enum Outage
    {
        /// <summary>SIGKILL, as a crashed or OOM-killed node: connections cut, nothing flushed.</summary>
        Crash,

        /// <summary>rabbitmqctl stop, as in a rolling restart: the broker closes connections itself.</summary>
        Stop,
    }

    [TestCase(Outage.Crash)]
    [TestCase(Outage.Stop)]
    public async Task Should_lose_nothing_and_double_nothing(Outage outage)
    {
        await using var database = await TaskFlowDatabase.CreateAsync("restart");
        await using var node = new RabbitNode { LoadDefinitions = true };
        await node.StartAsync();
        await using var api = Quorum(HostProcess.Api(database.ConnectionString, node.DefinedConnectionString));
        await using var worker = Quorum(HostProcess.Worker(database.ConnectionString, node.DefinedConnectionString));
        await Task.WhenAll(api.StartAsync(), worker.StartAsync());
        await Task.WhenAll(api.WaitReadyAsync(), worker.WaitReadyAsync());

        var load = new MixedLoad(api.BaseAddress);
        await load.SignInAsync(Clients);
        using var stop = new CancellationTokenSource();
        var clients = load.Run(stop.Token);

        await load.WaitForChangesAsync(ChangesPerPhase, "changes before the outage");
        await (outage == Outage.Crash ? node.KillAsync() : node.StopAsync());
        var downAt = load.Committed;
        await load.WaitForChangesAsync(downAt + ChangesPerPhase, "changes answered with the broker down");
        var heldBack = await database.CountAsync("SELECT count(*) FROM outbox_message");
        var workerWhileDown = await ReadinessAsync(worker);
        // Connections parked in an open transaction while the bus is away: what the consumers may queue behind afterwards.
        var idleInTransaction = await database.ReadStringsAsync(
            "SELECT left(query, 60) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'");
        await node.StartAsync();
        var restarted = Stopwatch.StartNew();
        var backlog = load.Committed;
        var auditedBefore = await AuditedAsync(database);
        // MassTransit's own reconnection, with its growing pauses: the first event audited since the outage.
        // Up to 30 s of MassTransit's pause between attempts, then catching up on a machine shared with other runs.
        await Eventually.MatchesAsync(() => AuditedAsync(database), n => n > auditedBefore, TimeSpan.FromSeconds(90), "the worker consuming again");
        var reconnected = restarted.Elapsed;
        await Eventually.MatchesAsync(() => AuditedAsync(database), n => n >= backlog, TimeSpan.FromSeconds(60), "the backlog audited after the restart");
        var recovered = restarted.Elapsed;
        await load.WaitForChangesAsync(load.Committed + ChangesPerPhase, "changes after the recovery");
        await stop.CancelAsync();
        await clients;

        var answered = load.Answered;
        await Eventually.MatchesAsync(() => AuditedAsync(database), n => n >= answered.Count, TimeSpan.FromSeconds(60), "every answered change audited");
        await Eventually.MatchesAsync(() => UndeliveredAsync(database), rows => rows.Length == 0, TimeSpan.FromSeconds(30), "an empty outbox");
        await Eventually.MatchesAsync(() => database.CountAsync("SELECT count(*) FROM notifications WHERE kind = 'reminder.triggered'"),
            n => n >= load.RemindedTasks.Count, TimeSpan.FromSeconds(60), $"every reminder fired ({load.RemindedTasks.Count})",
            explain: () => ReminderProgressAsync(database, node.DefinedConnectionString));
        await Eventually.MatchesAsync(() => database.CountAsync("SELECT count(*) FROM notifications WHERE kind LIKE 'task.%'"),
            n => n >= answered.Count, TimeSpan.FromSeconds(60), "a notification for every answered change");
        var waiting = await Eventually.MatchesAsync(() => MessagesWaitingAsync(node.DefinedConnectionString, QuorumSettings.WorkerQueues), n => n == 0,
            TimeSpan.FromSeconds(30), "the worker's queues drained");
        var parked = await MessagesWaitingAsync(node.DefinedConnectionString, QuorumSettings.WorkerQueues.Select(q => $"{q}_error"));

        var audited = await AuditedAsync(database);
        var doubledChanges = await database.CountAsync(
            "SELECT count(*) FROM (SELECT 1 FROM audit_log GROUP BY task_id, task_version, event_type HAVING count(*) > 1) d");
        var doubledEvents = await database.CountAsync("SELECT count(*) - count(DISTINCT event_id) FROM audit_log");
        var notified = await database.CountAsync("SELECT count(*) FROM notifications WHERE kind LIKE 'task.%'");
        var doubledNotifications = await database.CountAsync(
            "SELECT count(*) FROM (SELECT 1 FROM notifications GROUP BY task_id, task_version, kind, reminder_id HAVING count(*) > 1) d");
        var reminders = await database.CountAsync("SELECT count(*) FROM notifications WHERE kind = 'reminder.triggered'");
        var redelivered = await database.CountAsync("SELECT coalesce(sum(receive_count - 1), 0) FROM inbox_state");
        var auditedChanges = (await database.ReadStringsAsync("SELECT concat_ws('/', task_id, task_version, event_type) FROM audit_log")).ToHashSet();
        var missing = answered.Count(change => !auditedChanges.Contains($"{change.TaskId}/{change.Version}/{change.Type}"));

        await TestContext.Out.WriteLineAsync(
            $"{outage}: requests {load.Requests}, answered 2xx {answered.Count} ({downAt} before the outage, {backlog - downAt} until the node was back), " +
            $"failed {load.Failed}; {heldBack} messages held in the outbox before the restart; worker readiness while down {(int)workerWhileDown}; " +
            $"connections idle in a transaction while down {idleInTransaction.Count} [{string.Join(" | ", idleInTransaction.Distinct())}]; worker reconnected {reconnected.TotalSeconds:F1} s " +
            $"and the backlog audited {recovered.TotalSeconds:F1} s after the node was back; " +
            $"audited {audited}, answered but not audited {missing}, doubled changes {doubledChanges}, doubled event ids {doubledEvents}; " +
            $"task notifications {notified}, doubled notifications {doubledNotifications}; reminders {reminders} of {load.RemindedTasks.Count}; " +
            $"duplicate deliveries dropped by the inbox {redelivered}; left in queues {waiting}, in _error queues {parked}");

        Assert.Multiple(() =>
        {
            Assert.That(load.Failed, Is.Zero, "the API kept answering while the broker was down");
            Assert.That(heldBack, Is.GreaterThan(0), "changes waited in the outbox");
            Assert.That(workerWhileDown, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "a worker without its broker is not ready");
            Assert.That(missing, Is.Zero, "every answered change audited");
            Assert.That(audited, Is.EqualTo(answered.Count), "no audit entry for a change nobody was answered");
            Assert.That(doubledChanges, Is.Zero);
            Assert.That(doubledEvents, Is.Zero);
            Assert.That(notified, Is.EqualTo(answered.Count), "one notification per change");
            Assert.That(doubledNotifications, Is.Zero);
            Assert.That(reminders, Is.EqualTo(load.RemindedTasks.Count), "one reminder per reminded task");
            Assert.That(parked, Is.Zero, "nothing dead-lettered by the restart");
        });
    }

    private static HostProcess Quorum(HostProcess host) =>
        host.With("Messaging__QuorumQueues", "true").With("Database__MaxPoolSize", "10");

    private static async Task<HttpStatusCode> ReadinessAsync(HostProcess host)
    {
        using var probe = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        return (await probe.GetAsync("/health/ready")).StatusCode;
    }

    /// <summary>Where the reminders are on their way, read when the wait for them times out: the stage they stopped at.</summary>
    private static async Task<string> ReminderProgressAsync(TestDatabase database, string broker)
    {
        var sagas = await database.ReadStringsAsync("SELECT current_state || ' ' || count(*) FROM reminder_state GROUP BY current_state ORDER BY 1");
        var queues = new List<string>();
        try
        {
            await using var connection = await new ConnectionFactory { Uri = new Uri(broker) }.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            foreach (var queue in QuorumSettings.WorkerQueues)
            {
                var declared = await channel.QueueDeclarePassiveAsync(queue);
                var faulted = await channel.QueueDeclarePassiveAsync($"{queue}_error");
                queues.Add($"{queue} {declared.MessageCount}/{declared.ConsumerCount}, _error {faulted.MessageCount}");
            }
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.RabbitMQClientException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            queues.Add(e.Message);
        }

        var planned = await database.CountAsync("SELECT count(*) FROM reminder_plan");
        var scheduled = await database.CountAsync("SELECT count(*) FROM scheduled_message");
        var overdue = await database.CountAsync("SELECT count(*) FROM scheduled_message WHERE due_time < now() - interval '5 seconds'");
        return $"{planned} tasks planned; sagas [{string.Join(", ", sagas)}]; {scheduled} scheduled messages stored, {overdue} of them " +
               $"overdue by 5 s; queues (ready/consumers) [{string.Join(", ", queues)}]";
    }

    private static Task<long> AuditedAsync(TestDatabase database) => database.CountAsync("SELECT count(*) FROM audit_log");

    /// <summary>What still waits in the outbox, to name in a failure: whose (a request's or a consumer's), what and where to.</summary>
    private static async Task<string> UndeliveredAsync(TestDatabase database) => string.Join("; ", await database.ReadStringsAsync(
        """
        SELECT concat_ws(' ', CASE WHEN outbox_id IS NULL THEN 'consumer ' || inbox_consumer_id ELSE 'request' END,
                         message_type, destination_address, 'sent', sent_time)
        FROM outbox_message ORDER BY sequence_number
        """));

    /// <summary>Ready messages, by a passive declare on the broker the test runs (it has no management console).</summary>
    private static async Task<long> MessagesWaitingAsync(string broker, IEnumerable<string> queues)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(broker) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        long waiting = 0;
        foreach (var queue in queues)
            waiting += (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        return waiting;
    }
}

/// <summary>
/// Several users, each creating a task, renaming it and completing it, a round every 400 ms; every third round also a task
/// due tomorrow with a reminder two days before, which fires at once. Counts what the API answered.
/// </summary>
internal sealed class MixedLoad(Uri api)
{
    private readonly List<HttpClient> users = [];
    private readonly ConcurrentQueue<Change> answered = new();
    private long requests;
    private long failed;

    public sealed record Change(Guid TaskId, int Version, string Type);

    public long Requests => Interlocked.Read(ref requests);
    public long Failed => Interlocked.Read(ref failed);
    public int Committed => answered.Count;
    public IReadOnlyCollection<Change> Answered => answered.ToArray();
    public ConcurrentBag<Guid> RemindedTasks { get; } = [];

    public async Task SignInAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var client = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
            await client.NewAccountAsync("UTC");
            users.Add(client);
        }
    }

    public Task Run(CancellationToken stop) => Task.WhenAll(users.Select(user => Task.Run(() => DriveAsync(user, stop))));

    public Task WaitForChangesAsync(int count, string what) =>
        Eventually.MatchesAsync(() => Task.FromResult(Committed), n => n >= count, TimeSpan.FromSeconds(60), $"{count} {what}");

    private async Task DriveAsync(HttpClient user, CancellationToken stop)
    {
        // A steady pace, as users keep working: a load as fast as it can go would only measure how long the worker
        // takes to catch up with an ever longer backlog on a shared machine.
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(400));
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            try
            {
                await pace.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var task = await SendAsync(user, HttpMethod.Post, "/api/v1/tasks", new { title = $"Round {round}" }, "created");
            if (task is null)
                continue;
            var (id, version) = task.Value;
            var renamed = await SendAsync(user, HttpMethod.Put, $"/api/v1/tasks/{id}", new { title = $"Round {round}, renamed", version }, "updated");
            if (renamed is not null)
                await SendAsync(user, HttpMethod.Post, $"/api/v1/tasks/{id}/complete", null, "completed");
            if (round % 3 == 0)
            {
                var due = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
                var reminded = await SendAsync(user, HttpMethod.Post, "/api/v1/tasks",
                    new { title = $"Reminded {round}", due = new { dateTime = due }, reminders = new[] { "P2D" } }, "created");
                if (reminded is not null)
                    RemindedTasks.Add(reminded.Value.Id);
            }
        }
    }

    /// <summary>One change; counted as committed only when the API answered it with a success.</summary>
    private async Task<(Guid Id, int Version)?> SendAsync(HttpClient user, HttpMethod method, string path, object? body, string type)
    {
        Interlocked.Increment(ref requests);
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await user.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failed);
                await TestContext.Out.WriteLineAsync($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return null;
            }
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            var change = new Change(answer.GetProperty("id").GetGuid(), answer.GetProperty("version").GetInt32(), type);
            answered.Enqueue(change);
            return (change.TaskId, change.Version);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref failed);
            await TestContext.Out.WriteLineAsync($"{method} {path}: {e.Message}");
            return null;
        }
    }
}
