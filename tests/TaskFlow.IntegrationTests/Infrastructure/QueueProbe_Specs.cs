using RabbitMQ.Client;
using TaskFlow.Testing;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>
/// Specs look into live queues while consumers work on them. A look that hands messages out and puts them back marks
/// them redelivered, and the notification consumer pushes a redelivered event a second time: the probe would change
/// what it observes.
/// </summary>
public sealed class When_a_spec_counts_the_messages_waiting_in_a_queue
{
    private const string Queue = "probed";

    [Test]
    public async Task Should_count_them_and_leave_them_as_they_were()
    {
        await using var broker = await TestVirtualHost.CreateAsync("probe");
        var factory = new ConnectionFactory { Uri = new Uri(broker.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
        for (var i = 0; i < 3; i++)
            await channel.BasicPublishAsync("", Queue, "waiting"u8.ToArray());

        var counted = await Eventually.MatchesAsync(() => broker.WaitingAsync(Queue), n => n == 3, what: "three messages counted");
        var first = await channel.BasicGetAsync(Queue, autoAck: true);

        Assert.Multiple(async () =>
        {
            Assert.That(counted, Is.EqualTo(3));
            Assert.That(first!.Redelivered, Is.False, "counting handed nothing out");
            Assert.That(await broker.WaitingAsync("never-declared"), Is.Zero);
        });
    }
}
