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
    private SpecEnvironment environment = null!;
    private SpecHost deliverer = null!;
    private SpecHost producer = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        environment = await SpecEnvironment.CreateAsync("notify");
        deliverer = await environment.StartHostAsync(x =>
        {
            x.AddTaskFlowOutbox<SpecDbContext>(o =>
            {
                o.QueryDelay = TimeSpan.FromMinutes(5);
                o.UseBusOutbox();
            });
            x.AddRecorder();
        });
        producer = await environment.StartHostAsync(x => x.AddTaskFlowOutbox<SpecDbContext>(o =>
        {
            o.QueryDelay = TimeSpan.FromMinutes(5);
            o.UseBusOutbox(b => b.DisableDeliveryService());
        }));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await environment.DisposeAsync();

    [Test]
    [Category(SpecCategories.Timing)]
    public async Task Should_be_delivered_by_the_listening_instance_without_waiting_for_the_sweep()
    {
        var listener = deliverer.Services.GetServices<IHostedService>().OfType<OutboxNotificationListener<SpecDbContext>>().Single();
        await Eventually.HoldsAsync(() => Task.FromResult(listener.IsListening), "the deliverer is listening");
        Assert.That(producer.Services.GetServices<IHostedService>().OfType<OutboxDeliveryService<SpecDbContext>>(), Is.Empty);

        var measured = await Latency.MeasureAsync(producer, deliverer, "notify", 50);
        await TestContext.Out.WriteLineAsync($"commit -> consumer, woken by NOTIFY from another host, {measured}");

        // As for the in-process wake-up (the same bound, see When_publishing_through_the_bus_outbox): the NOTIFY adds
        // one hop through PostgreSQL, milliseconds, while a deliverer that missed it would poll a second or more.
        Assert.That(measured.P99, Is.LessThan(When_publishing_through_the_bus_outbox.WokenWithin.TotalMilliseconds),
            $"p99 within {When_publishing_through_the_bus_outbox.WokenWithin.TotalMilliseconds} ms of the commit: {measured}");
    }
}
