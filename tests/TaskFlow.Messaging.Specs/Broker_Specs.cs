using MassTransit;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// The broker goes away for this virtual host (permissions revoked, connections closed): requests keep committing,
/// rows wait in the outbox, and once the broker is back everything leaves once, in order.
/// </summary>
public class When_the_broker_is_unavailable
{
    private const int Count = 20;

    [Test]
    public async Task Should_keep_committing_and_deliver_everything_once_it_is_back()
    {
        using var meter = new DeliveryMeter();
        await using var database = await SpecDatabase.CreateAsync("down");
        await using var virtualHost = await TestVirtualHost.CreateAsync("down");
        await using var api = await SpecHost.StartAsync(database, virtualHost, x =>
        {
            x.AddTaskFlowOutbox<SpecDbContext>(o =>
            {
                o.QueryDelay = TimeSpan.FromMinutes(5);
                o.PartitionKey(message => message is Numbered n ? n.Key : null);
                o.UseBusOutbox(b => b.MessageDeliveryTimeout = TimeSpan.FromSeconds(2));
            });
            x.AddRecorder();
        });

        await virtualHost.TakeAwayAsync(() => api.Bus.CheckHealth().Status != BusHealthStatus.Healthy);

        for (var seq = 1; seq <= Count; seq++)
            await api.PublishAndCommitAsync(new Numbered("down", seq));
        await Eventually.HoldsAsync(() => Task.FromResult(meter.Total(api, OutboxMetrics.DeliveryFailures) > 0), "a delivery attempt failed");

        Assert.That(await database.CountAsync("SELECT count(*) FROM outbox_message"), Is.EqualTo(Count));
        Assert.That(await database.CountAsync("SELECT count(*) FROM notes"), Is.EqualTo(Count));
        Assert.That(api.Recorder.Of<Numbered>(), Is.Empty);

        await virtualHost.GrantAsync();
        await api.Recorder.WaitUntilAsync(items => items.Count(i => i.Message is Numbered) >= Count, "everything after the broker is back",
            TimeSpan.FromSeconds(90));
        await Eventually.HoldsAsync(async () => await database.CountAsync("SELECT count(*) FROM outbox_state") == 0, "outbox emptied");
        await api.DrainAsync(nameof(RecordingConsumer));

        var received = api.Recorder.Items.Where(i => i.Message is Numbered).ToList();
        Assert.That(received.Select(i => ((Numbered)i.Message).Seq), Is.EqualTo(Enumerable.Range(1, Count)));
        Assert.That(received.Select(i => i.MessageId).Distinct().Count(), Is.EqualTo(Count));
        Assert.That(meter.Total(api, OutboxMetrics.Delivered), Is.EqualTo(Count));
    }
}
