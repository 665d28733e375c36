using System.Diagnostics;
using TaskFlow.IntegrationTests.Cluster;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;
using TaskFlow.Testing;

namespace TaskFlow.IntegrationTests.Faults;

/// <summary>
/// PostgreSQL out of the worker's reach for a while, as in a restart or a failover: its consumers wait for it instead
/// of parking the events in hand in their _error queues, and everything is audited and notified once it is back.
/// </summary>
[NonParallelizable]
public sealed class When_the_worker_loses_its_database_for_a_while
{
    /// <summary>A failover's length, well past the 2 s of tries after which a consumer used to give a message up.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Its_consumers_wait_for_it_and_park_nothing()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("dboutage");
        await using var broker = await TestVirtualHost.CreateAsync("dboutage");
        await using var link = new DatabaseLink(database.ConnectionString);
        await using var api = new TaskFlowApiFactory(database.ConnectionString, broker.ConnectionString);
        // In this process, so its meters can be read as an operator's collector reads them.
        var metrics = new HostMetrics();
        using var worker = await WorkerHost.StartAsync(link.ConnectionString, broker.ConnectionString, configure: metrics.AddTo);
        using var user = await api.NewUserAsync();

        await CreateAsync(user, 0, 20);
        await Eventually.MatchesAsync(() => AuditedAsync(database), n => n >= 20, TimeSpan.FromSeconds(30), "the first tasks audited");

        link.Cut();
        var cut = Stopwatch.StartNew();
        // The API still reaches the database: these are committed and published while the worker cannot store anything.
        await CreateAsync(user, 20, 30);
        await Eventually.MatchesAsync(() => Task.FromResult(Retried(metrics, worker)), n => n > 0, TimeSpan.FromSeconds(30),
            "the worker's consumers retrying against the outage");
        // The fault's length, not a wait for something to happen.
        if (Outage > cut.Elapsed)
            await Task.Delay(Outage - cut.Elapsed);
        link.Restore();
        var outage = cut.Elapsed;
        await using (var probe = new Npgsql.NpgsqlConnection(link.ConnectionString))
        {
            await probe.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT 1", probe);
            Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(1), "the link serves again");
        }

        // A consumer that gave up parked what it held, which will not be audited however long this waits: say so.
        var audited = await Eventually.MatchesAsync(() => AuditedAsync(database), n => n >= 50, TimeSpan.FromSeconds(120), "every task audited",
            async () => $"parked in _error queues: {await ParkedAsync(broker)}");
        var notified = await Eventually.MatchesAsync(() => database.CountAsync("SELECT count(*) FROM notifications"), n => n >= 50,
            TimeSpan.FromSeconds(60), "every task notified");
        var parked = await ParkedAsync(broker);
        var retried = Retried(metrics, worker);
        await worker.StopAsync();

        await TestContext.Out.WriteLineAsync(
            $"worker cut off from PostgreSQL for {outage.TotalSeconds:F1} s while 30 tasks were created: audited {audited} of 50, " +
            $"notified {notified}; consumes retried {retried}; parked in _error queues {parked}");
        Assert.Multiple(() =>
        {
            Assert.That(audited, Is.EqualTo(50));
            Assert.That(notified, Is.EqualTo(50));
            Assert.That(parked, Is.Zero, "nothing parked in an _error queue");
        });
    }

    private static async Task CreateAsync(HttpClient user, int from, int count)
    {
        foreach (var chunk in Enumerable.Range(from, count).Chunk(10))
            await Task.WhenAll(chunk.Select(i => user.CreateTaskAsync(new { title = $"Task {i}" })));
    }

    /// <summary>Counted as the broker answers a passive declare: a look that leaves the messages as they are.</summary>
    private static async Task<long> ParkedAsync(TestVirtualHost broker)
    {
        var parked = 0L;
        foreach (var queue in QuorumSettings.WorkerQueues)
            parked += await broker.WaitingAsync($"{queue}_error");
        return parked;
    }

    private static Task<long> AuditedAsync(TestDatabase database) => database.CountAsync("SELECT count(*) FROM audit_log");

    private static long Retried(HostMetrics metrics, Microsoft.Extensions.Hosting.IHost worker) =>
        HostMetrics.Sum(metrics.Collect(worker.Services), HostMetrics.ConsumeRetries);
}
