using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskFlow.Messaging.Scheduling;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// The scheduler queue has no inbox: a ScheduleMessage redelivered (or retried by its sender, same MessageId and token)
/// after its CancelScheduledMessage must not bring the message back.
/// </summary>
[Category(SpecCategories.Timing)]
public class When_a_schedule_arrives_again_after_its_cancel
{
    [OneTimeSetUp]
    public void UseTokens() => SchedulerSpecs.UseReminderTokens();

    [Test]
    public async Task Should_send_nothing_and_store_nothing()
    {
        await using var environment = await SpecEnvironment.CreateAsync("tombstone");
        var host = await environment.StartSchedulerHostAsync();
        var due = DateTime.UtcNow.AddSeconds(4);
        var cancelled = new Reminder(Guid.NewGuid(), "cancelled");
        var scheduleMessageId = NewId.NextGuid();
        var token = Param("token", cancelled.Token);

        await ScheduleAsync(host, cancelled, due, scheduleMessageId);
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message WHERE token_id = @token", token) == 1,
            "stored");
        await host.Services.GetRequiredService<IMessageScheduler>().CancelScheduledSend(SchedulerSpecs.Reminders, cancelled.Token);
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message WHERE token_id = @token", token) == 0,
            "cancelled");

        // The same ScheduleMessage once more, as a redelivery would bring it; then a marker due after the cancelled one.
        await ScheduleAsync(host, cancelled, due, scheduleMessageId);
        var marker = new Reminder(Guid.NewGuid(), "after");
        await host.ScheduleAsync(marker, due.AddSeconds(1));
        await host.Recorder.WaitUntilAsync(items => items.Any(i => i.Message is Arrival a && a.Reminder == marker), "the marker");

        Assert.Multiple(async () =>
        {
            Assert.That(host.Arrivals().Where(a => a.Reminder == cancelled), Is.Empty, "the cancelled reminder never arrives");
            Assert.That(await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message WHERE token_id = @token", token), Is.Zero,
                "nothing stored under the cancelled token");
        });
    }

    [Test]
    public async Task Should_forget_a_tombstone_after_the_retention_and_keep_a_younger_one()
    {
        await using var environment = await SpecEnvironment.CreateAsync("tombprune");
        // Swept by hand below: the host's own sweep waits for its first interval.
        var host = await environment.StartSchedulerHostAsync(o =>
        {
            o.SweepInterval = TimeSpan.FromMinutes(10);
            o.TombstoneRetention = TimeSpan.FromHours(1);
        });
        var old = Guid.NewGuid();
        var young = Guid.NewGuid();
        await environment.Database.ExecuteAsync($"""
            INSERT INTO scheduled_message_tombstone (token_id, cancelled) VALUES
                ('{old}', now() - interval '61 minutes'), ('{young}', now() - interval '59 minutes')
            """);

        await host.Services.GetServices<IHostedService>().OfType<OverdueBucketSweeper<SpecDbContext>>().Single().SweepAsync(CancellationToken.None);

        Assert.That(await environment.Database.ReadStringsAsync("SELECT token_id::text FROM scheduled_message_tombstone"),
            Is.EqualTo(new[] { young.ToString() }));
    }

    private static Task<ScheduledMessage<Reminder>> ScheduleAsync(SpecHost host, Reminder reminder, DateTime at, Guid messageId) =>
        host.Services.GetRequiredService<IMessageScheduler>().ScheduleSend(SchedulerSpecs.Reminders, at, reminder,
            Pipe.Execute<SendContext<Reminder>>(send => send.MessageId = messageId));

    private static (string, object) Param(string name, object value) => (name, value);
}
