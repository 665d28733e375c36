using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;
using TaskFlow.Testing;

namespace TaskFlow.IntegrationTests.Faults;

/// <summary>
/// A worker that starts on a backlog with a small connection pool. Each of its audit consumers used to check the
/// month's partition on a second pooled connection while holding its own: as many of them as the pool had connections
/// then waited for each other until the pool's timeout, failed, and did it again on the retry.
/// </summary>
[NonParallelizable]
public sealed class When_a_worker_starts_on_a_backlog_with_a_small_pool
{
    private const int Tasks = 120;

    [Test]
    public async Task It_works_through_the_backlog_without_running_out_of_connections()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("backlog");
        await using var broker = await TestVirtualHost.CreateAsync("backlog");
        await using var api = new TaskFlowApiFactory(database.ConnectionString, broker.ConnectionString);
        // A first worker declares the queues; the backlog builds up in them while none runs.
        await using (var first = HostProcess.Worker(database.ConnectionString, broker.ConnectionString))
        {
            await first.StartAsync();
            await first.WaitReadyAsync();
        }

        using var user = await api.NewUserAsync();
        foreach (var chunk in Enumerable.Range(0, Tasks).Chunk(10))
            await Task.WhenAll(chunk.Select(i => user.CreateTaskAsync(new { title = $"Backlog {i}" })));
        await Eventually.MatchesAsync(() => database.CountAsync("SELECT count(*) FROM outbox_message"), n => n == 0,
            TimeSpan.FromSeconds(30), "every event published");

        // In this process, so its meters can be read as an operator's collector reads them: MassTransit counts every
        // consume that is a retry, Npgsql every wait for a pooled connection that ran out of time.
        var metrics = new HostMetrics();
        using var worker = await WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString, configure: host =>
        {
            host.Configuration["Database:MaxPoolSize"] = "4";
            metrics.AddTo(host);
        });
        var audited = await Eventually.MatchesAsync(() => database.CountAsync("SELECT count(*) FROM audit_log"), n => n >= Tasks,
            TimeSpan.FromSeconds(90), "the backlog audited");
        var notified = await Eventually.MatchesAsync(() => database.CountAsync("SELECT count(*) FROM notifications"), n => n >= Tasks,
            TimeSpan.FromSeconds(30), "the backlog notified");

        var readings = metrics.Collect(worker.Services);
        var timedOut = HostMetrics.SumForDatabase(readings, HostMetrics.PoolTimeouts, database.ConnectionString);
        var retried = HostMetrics.Sum(readings, HostMetrics.ConsumeRetries);
        var consumed = HostMetrics.Sum(readings, HostMetrics.Consumes);
        await TestContext.Out.WriteLineAsync(
            $"{Tasks} tasks created with no worker running; then, with a pool of 4: audited {audited}, notified {notified}; " +
            $"{consumed} consumes, of which retries {retried}; waits for a pooled connection that timed out {timedOut}");
        await worker.StopAsync();
        Assert.Multiple(() =>
        {
            Assert.That(audited, Is.EqualTo(Tasks));
            Assert.That(consumed, Is.GreaterThanOrEqualTo(2 * Tasks), "the meters saw the backlog consumed (audit and notification)");
            Assert.That(HostMetrics.SumForDatabase(readings, HostMetrics.PoolMaximum, database.ConnectionString), Is.Positive,
                "the pools of this spec's database were read");
            Assert.That(timedOut, Is.Zero, "no consumer waited the pool out");
            Assert.That(retried, Is.Zero, "no message needed a retry");
        });
    }
}
