using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Cluster;

/// <summary>
/// What an operator of a RabbitMQ cluster sees once Messaging:QuorumQueues is on, on a virtual host set up as
/// infra/rabbitmq/definitions.json sets one up (quorum by default, the delivery-limit and dead-letter policies).
/// </summary>
[NonParallelizable]
public class When_quorum_queues_are_configured
{
    private TestDatabase database = null!;
    private TestVirtualHost broker = null!;
    private IHost worker = null!;
    private TaskFlowApiFactory api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        database = await TaskFlowDatabase.CreateAsync("quorum");
        broker = await QuorumSettings.VirtualHostAsync("quorum");
        worker = await WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString, configure: QuorumSettings.Worker);
        api = new TaskFlowApiFactory(database.ConnectionString, broker.ConnectionString, settings: QuorumSettings.Api);
        _ = api.Server;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await worker.StopAsync();
        worker.Dispose();
        await api.DisposeAsync();
        await broker.DisposeAsync();
        await database.DisposeAsync();
    }

    [Test]
    public async Task Should_declare_every_worker_queue_replicated_with_the_delivery_limit_and_its_error_queue_as_dead_letter()
    {
        foreach (var queue in QuorumSettings.WorkerQueues)
        {
            var info = await Eventually.MatchesAsync(() => broker.QueueAsync(queue),
                q => q?.TryGetProperty("effective_policy_definition", out var policy) == true && policy.ValueKind == JsonValueKind.Object,
                what: $"queue {queue} under its policy");
            var policy = info!.Value.GetProperty("effective_policy_definition");
            Assert.Multiple(() =>
            {
                Assert.That(info.Value.GetProperty("type").GetString(), Is.EqualTo("quorum"), queue);
                Assert.That(info.Value.GetProperty("arguments").TryGetProperty("x-dead-letter-exchange", out _), Is.False,
                    $"{queue}: every sender declares it too, without arguments");
                Assert.That(policy.GetProperty("delivery-limit").GetInt32(), Is.EqualTo(RabbitDefinitions.DeliveryLimit(queue)), queue);
                Assert.That(policy.GetProperty("dead-letter-exchange").GetString(), Is.EqualTo($"{queue}_error"), queue);
                Assert.That(policy.GetProperty("dead-letter-strategy").GetString(), Is.EqualTo("at-least-once"), queue);
            });

            // Before any message failed: the broker drops what it dead-letters to an exchange that is not there.
            var error = await broker.QueueAsync($"{queue}_error");
            Assert.That(error, Is.Not.Null, $"{queue}_error declared with its queue");
            Assert.That(error!.Value.GetProperty("type").GetString(), Is.EqualTo("quorum"), $"{queue}_error");
            Assert.That(error.Value.TryGetProperty("effective_policy_definition", out var errorPolicy) && errorPolicy.ValueKind == JsonValueKind.Object
                        && errorPolicy.TryGetProperty("dead-letter-exchange", out _), Is.False, $"{queue}_error does not dead-letter into itself");
        }
    }

    [Test]
    public async Task Should_find_a_policy_in_the_definitions_for_every_queue_the_worker_declares()
    {
        var names = await Eventually.MatchesAsync(() => broker.QueueNamesAsync(),
            n => QuorumSettings.WorkerQueues.All(n.Contains), what: "the worker's queues");
        var consumed = names.Where(n => !n.EndsWith("_error", StringComparison.Ordinal) && !n.EndsWith("_skipped", StringComparison.Ordinal)
                                        && !n.StartsWith("taskflow-live-", StringComparison.Ordinal));

        Assert.That(consumed, Is.EquivalentTo(QuorumSettings.WorkerQueues),
            "a new consumer's queue needs its policy (delivery limit, dead-lettering to its _error queue) in infra/rabbitmq/definitions.json");
        Assert.That(QuorumSettings.WorkerQueues.Select(RabbitDefinitions.DeliveryLimit), Is.All.Positive);
    }

    [Test]
    public async Task Should_keep_the_api_instance_live_queue_classic_and_deleted_with_it()
    {
        var live = await Eventually.MatchesAsync(() => broker.QueueNamesAsync(),
            names => names.Any(n => n.StartsWith("taskflow-live-", StringComparison.Ordinal)), what: "the API's live queue");
        var info = (await broker.QueueAsync(live.First(n => n.StartsWith("taskflow-live-", StringComparison.Ordinal))))!.Value;

        Assert.That(info.GetProperty("type").GetString(), Is.EqualTo("classic"));
        Assert.That(info.GetProperty("durable").GetBoolean(), Is.False, info.ToString());
        // MassTransit declares a temporary endpoint exclusive (gone with its connection), or auto-deleted when it expires.
        Assert.That(info.GetProperty("exclusive").GetBoolean() || info.GetProperty("auto_delete").GetBoolean(), Is.True, info.ToString());
    }

    [Test]
    public async Task Should_let_a_sender_declare_a_worker_queue_as_it_finds_it()
    {
        // What MassTransit does on a first send to queue:taskflow-reminders (the API's snooze, the planner's commands): a
        // declaration without arguments. Any argument the worker had declared (a dead-letter exchange, a delivery limit)
        // would make the broker refuse it and close the channel, and the send would fail until someone deleted the queue.
        await Eventually.MatchesAsync(() => broker.QueueAsync("taskflow-reminders"), q => q is not null, what: "taskflow-reminders");
        var factory = new ConnectionFactory { Uri = new Uri(broker.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        var declared = await channel.QueueDeclareAsync("taskflow-reminders", durable: true, exclusive: false, autoDelete: false);

        Assert.That(declared.QueueName, Is.EqualTo("taskflow-reminders"));
        Assert.That((await broker.QueueAsync("taskflow-reminders"))!.Value.GetProperty("type").GetString(), Is.EqualTo("quorum"));
    }

    [Test]
    public async Task Should_move_a_message_the_consumer_fails_on_to_the_same_error_queue()
    {
        // MassTransit declares the _error queue again when it first moves a message there; with other arguments than
        // the endpoint declared, the broker would refuse (PRECONDITION_FAILED) and the message would never leave.
        await broker.PublishRawAsync("taskflow.tasks.created", "{ quorum poison", "application/vnd.masstransit+json");

        var parked = await Eventually.MatchesAsync(() => broker.PeekAsync("taskflow-audit_error"),
            messages => messages.Any(m => m.GetProperty("payload").GetString()!.Contains("quorum poison", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the poison message in taskflow-audit_error");
        Assert.That(parked.Single(m => m.GetProperty("payload").GetString()!.Contains("quorum poison", StringComparison.Ordinal))
            .GetProperty("properties").GetProperty("headers").GetProperty("MT-Fault-Message").GetString(), Is.Not.Empty);
    }
}

/// <summary>Without the setting (the single dev broker), queues stay classic: nothing to migrate on an existing broker.</summary>
public class When_quorum_queues_are_not_configured
{
    [Test]
    public async Task Should_declare_classic_queues()
    {
        var info = await Eventually.MatchesAsync(() => IntegrationSetup.Broker.QueueAsync("taskflow-audit"), q => q is not null, what: "taskflow-audit");

        Assert.That(info!.Value.GetProperty("type").GetString(), Is.EqualTo("classic"));
        Assert.That(info.Value.GetProperty("arguments").TryGetProperty("x-delivery-limit", out _), Is.False);
    }
}

/// <summary>
/// A message whose consumer dies every time (so MassTransit never gets to fault it and move it) must not circle for ever
/// nor vanish: past the delivery limit the broker dead-letters it to the queue's _error queue.
/// </summary>
[NonParallelizable]
public class When_a_message_is_redelivered_past_the_delivery_limit
{
    private const string Queue = "taskflow-audit";

    [Test]
    public async Task Should_end_in_the_error_queue_with_the_broker_reason()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("deliverylimit");
        await using var broker = await QuorumSettings.VirtualHostAsync("deliverylimit");
        // The worker declares the topology; stopped, so that only the failing consumer below takes the message.
        using (var worker = await WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString, configure: QuorumSettings.Worker))
            await worker.StopAsync();

        var factory = new ConnectionFactory { Uri = new Uri(broker.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var messageId = Guid.NewGuid().ToString();
        await channel.BasicPublishAsync("", Queue, mandatory: true,
            new BasicProperties { MessageId = messageId, Persistent = true, ContentType = "application/vnd.masstransit+json" },
            Encoding.UTF8.GetBytes("""{"message": "kills its consumer"}"""));

        var deliveries = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            Interlocked.Increment(ref deliveries);
            // What the broker sees when a consumer's process dies with the message: it comes back to the queue.
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true);
        };
        await channel.BasicQosAsync(0, 1, false);
        await channel.BasicConsumeAsync(Queue, autoAck: false, consumer);

        var parked = await Eventually.MatchesAsync(() => broker.PeekAsync($"{Queue}_error"), messages => messages.Count > 0,
            TimeSpan.FromSeconds(30), $"the message in {Queue}_error");
        var headers = parked.Single().GetProperty("properties").GetProperty("headers");
        await TestContext.Out.WriteLineAsync($"{Volatile.Read(ref deliveries)} deliveries before dead-lettering; headers: {headers}");

        Assert.That(parked.Single().GetProperty("properties").GetProperty("message_id").GetString(), Is.EqualTo(messageId));
        Assert.That(parked.Single().GetProperty("payload").GetString(), Does.Contain("kills its consumer"));
        Assert.That(headers.GetProperty("x-first-death-reason").GetString(), Is.EqualTo("delivery_limit"));
        Assert.That(headers.GetProperty("x-first-death-queue").GetString(), Is.EqualTo(Queue));
        Assert.That(Volatile.Read(ref deliveries), Is.EqualTo(RabbitDefinitions.DeliveryLimit(Queue) + 1), "the first delivery, then the limit's redeliveries");
        Assert.That((await channel.QueueDeclarePassiveAsync(Queue)).MessageCount, Is.Zero, $"{Queue} empty");
    }
}

internal static class QuorumSettings
{
    /// <summary>The worker's durable receive endpoints, the queues the definitions' policies name.</summary>
    public static readonly string[] WorkerQueues =
        ["taskflow-audit", "taskflow-reminder-planner", "taskflow-reminders", "taskflow-reminders-fired", "taskflow-scheduler", "taskflow-recurrence",
         "taskflow-notifications"];

    public static readonly IReadOnlyDictionary<string, string> Api = new Dictionary<string, string> { ["Messaging:QuorumQueues"] = "true" };

    public static void Worker(IHostApplicationBuilder worker) => worker.Configuration["Messaging:QuorumQueues"] = "true";

    /// <summary>A virtual host of the shared broker set up as the definitions file sets up a cluster's.</summary>
    public static async Task<TestVirtualHost> VirtualHostAsync(string purpose)
    {
        var virtualHost = await TestVirtualHost.CreateAsync(purpose, defaultQueueType: "quorum");
        await RabbitDefinitions.ApplyPoliciesAsync(virtualHost);
        return virtualHost;
    }
}
