using System.Diagnostics;
using MassTransit;
using TaskFlow.Messaging.Outbox;

namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>A fixture's own database and virtual host, and the hosts started on them; disposed in reverse.</summary>
public sealed class SpecEnvironment : IAsyncDisposable
{
    private readonly List<SpecHost> hosts = [];

    private SpecEnvironment(TestDatabase database, TestVirtualHost virtualHost)
    {
        Database = database;
        VirtualHost = virtualHost;
    }

    public TestDatabase Database { get; }
    public TestVirtualHost VirtualHost { get; }

    public static async Task<SpecEnvironment> CreateAsync(string purpose)
    {
        var database = await SpecDatabase.CreateAsync(purpose);
        try
        {
            return new SpecEnvironment(database, await TestVirtualHost.CreateAsync(purpose));
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async Task<SpecHost> StartHostAsync(Action<IBusRegistrationConfigurator> configure,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? configureBus = null)
    {
        var host = await SpecHost.StartAsync(Database, VirtualHost, configure, configureBus: configureBus);
        hosts.Add(host);
        return host;
    }

    /// <summary>
    /// A host with the bus outbox and the recorder, whose delivery is woken only by this host's own commits (no LISTEN
    /// connection, a 5-minute sweep); <paramref name="services"/> registers before the outbox does (e.g. a clock).
    /// </summary>
    public Task<SpecHost> StartOutboxHostAsync(Action<ITaskFlowOutboxConfigurator>? outbox = null,
        Action<ITaskFlowBusOutboxConfigurator>? bus = null, Action<IBusRegistrationConfigurator>? services = null) =>
        StartHostAsync(x =>
        {
            services?.Invoke(x);
            x.AddTaskFlowOutbox<SpecDbContext>(o =>
            {
                o.QueryDelay = TimeSpan.FromMinutes(5);
                outbox?.Invoke(o);
                o.UseBusOutbox(b =>
                {
                    b.DisableNotificationListener();
                    bus?.Invoke(b);
                });
            });
            x.AddRecorder();
        });

    /// <summary>Stops and disposes a host before the environment ends (a process going away).</summary>
    public async Task StopHostAsync(SpecHost host)
    {
        hosts.Remove(host);
        await host.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = hosts.Count - 1; i >= 0; i--)
            await hosts[i].DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public static class SpecRegistrations
{
    /// <summary>The <see cref="RecordingConsumer"/> on queue "recorder", one message at a time (so queue order is consume order).</summary>
    public static void AddRecorder(this IBusRegistrationConfigurator x) =>
        x.AddConsumer<RecordingConsumer>().Endpoint(e =>
        {
            e.Name = "recorder";
            e.ConcurrentMessageLimit = 1;
        });
}

/// <summary>Commit → consumer latency of sequential messages, each awaited before the next is committed.</summary>
public static class Latency
{
    public static async Task<LatencySample> MeasureAsync(SpecHost producer, SpecHost consumer, string key, int count)
    {
        var latencies = new List<double>(count);
        for (var seq = 1; seq <= count; seq++)
        {
            var message = new Numbered(key, seq);
            await producer.PublishAndCommitAsync(message);
            var committedAt = Stopwatch.GetTimestamp();
            var received = await consumer.Recorder.WaitUntilAsync(items => items.Any(i => Equals(i.Message, message)), $"{key} {seq}");
            latencies.Add(Stopwatch.GetElapsedTime(committedAt, received.Single(i => Equals(i.Message, message)).Timestamp).TotalMilliseconds);
        }

        latencies.Sort();
        return new LatencySample(count, latencies[count / 2], latencies[(count * 99 / 100) - 1], latencies[^1]);
    }
}

/// <summary>Percentiles of one latency sample, in milliseconds.</summary>
public sealed record LatencySample(int Count, double P50, double P99, double Max)
{
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Count} sequential messages: p50 {P50:F1} ms, p99 {P99:F1} ms, max {Max:F1} ms");
}
