using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// One instance commits, another delivers: the producer has no delivery service, the deliverer sweeps every 5 minutes,
/// so only PostgreSQL's NOTIFY (sent by the commit) can make the deliverer pick the messages up within the deadline.
/// </summary>
public class When_another_instance_commits
{
    private TestDatabase database = null!;
    private TestVirtualHost virtualHost = null!;
    private SpecHost deliverer = null!;
    private SpecHost producer = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        database = await TestDatabase.CreateAsync("notify");
        virtualHost = await TestVirtualHost.CreateAsync("notify");
        deliverer = await SpecHost.StartAsync(database, virtualHost, x =>
        {
            x.AddTaskFlowOutbox<SpecDbContext>(o =>
            {
                o.QueryDelay = TimeSpan.FromMinutes(5);
                o.UseBusOutbox();
            });
            x.AddConsumer<RecordingConsumer>().Endpoint(e =>
            {
                e.Name = "recorder";
                e.ConcurrentMessageLimit = 1;
            });
        });
        producer = await SpecHost.StartAsync(database, virtualHost, x => x.AddTaskFlowOutbox<SpecDbContext>(o =>
        {
            o.QueryDelay = TimeSpan.FromMinutes(5);
            o.UseBusOutbox(b => b.DisableDeliveryService());
        }));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await producer.DisposeAsync();
        await deliverer.DisposeAsync();
        await virtualHost.DisposeAsync();
        await database.DisposeAsync();
    }

    [Test]
    public async Task Should_be_delivered_by_the_listening_instance_without_waiting_for_the_sweep()
    {
        var listener = deliverer.Services.GetServices<IHostedService>().OfType<OutboxNotificationListener<SpecDbContext>>().Single();
        await Eventually.HoldsAsync(() => Task.FromResult(listener.IsListening), "the deliverer is listening");
        Assert.That(producer.Services.GetServices<IHostedService>().OfType<OutboxDeliveryService<SpecDbContext>>(), Is.Empty);

        const int count = 50;
        var latencies = new List<double>(count);
        for (var seq = 1; seq <= count; seq++)
        {
            var message = new Numbered("notify", seq);
            await producer.PublishAndCommitAsync(message);
            var committedAt = Stopwatch.GetTimestamp();
            var received = await deliverer.Recorder.WaitUntilAsync(items => items.Any(i => Equals(i.Message, message)), $"message {seq}");
            latencies.Add(Stopwatch.GetElapsedTime(committedAt, received.Single(i => Equals(i.Message, message)).Timestamp).TotalMilliseconds);
        }

        latencies.Sort();
        await TestContext.Out.WriteLineAsync(
            $"commit -> consumer, woken by NOTIFY from another host, {count} sequential messages: p50 {latencies[count / 2]:F1} ms, p99 {latencies[count * 99 / 100 - 1]:F1} ms, max {latencies[^1]:F1} ms");
        Assert.That(latencies, Has.Count.EqualTo(count));
    }
}
