using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>The host registers its own TimeProvider: the outbox and the inbox stamp their rows with it, as the scheduler does.</summary>
public class When_the_host_has_its_own_clock
{
    private static readonly DateTime Now = new(2131, 1, 1, 8, 0, 0, DateTimeKind.Utc);

    [Test]
    public async Task Should_stamp_outbox_and_inbox_rows_with_it()
    {
        await using var environment = await SpecEnvironment.CreateAsync("clock");
        var worker = await environment.StartHostAsync(x =>
        {
            x.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(Now)));
            x.AddTaskFlowOutbox<SpecDbContext>(o => o.UseBusOutbox(b => b.DisableDeliveryService()));
            x.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseTaskFlowOutbox<SpecDbContext>(context));
            x.AddConsumer<PingConsumer>().Endpoint(e => e.Name = "ping");
        });

        await using (var scope = worker.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(new Numbered("clock", 1), c => c.TimeToLive = TimeSpan.FromHours(1));
            await scope.ServiceProvider.GetRequiredService<SpecDbContext>().SaveChangesAsync();
        }

        var ping = new Ping(Guid.NewGuid());
        await (await worker.Bus.GetSendEndpoint(new Uri("queue:ping"))).Send(ping);
        await worker.Recorder.WaitUntilAsync(items => items.Any(i => Equals(i.Message, ping)), "the ping consumed");
        // The consumer records the ping inside the inbox's transaction, which commits once it returns.
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM inbox_state") == 1, "the inbox row committed");

        Assert.That(await environment.Database.ScalarAsync<DateTime>("SELECT expiration_time FROM outbox_message"), Is.EqualTo(Now.AddHours(1)));
        Assert.That(await environment.Database.ScalarAsync<DateTime>("SELECT received FROM inbox_state"), Is.EqualTo(Now));
    }
}
