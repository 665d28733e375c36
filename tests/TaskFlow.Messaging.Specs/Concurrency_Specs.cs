using System.Diagnostics;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>Two instances deliver from one database while commits keep coming: each message once, each key in commit order.</summary>
public class When_two_delivery_services_share_a_database
{
    private const int Keys = 10;
    private const int PerKey = 30;

    private DeliveryMeter meter = null!;
    private SpecEnvironment environment = null!;
    private SpecHost first = null!;
    private SpecHost second = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        meter = new DeliveryMeter();
        environment = await SpecEnvironment.CreateAsync("two");
        first = await environment.StartHostAsync(x =>
        {
            ConfigureOutbox(x);
            x.AddRecorder();
        });
        second = await environment.StartHostAsync(ConfigureOutbox);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await environment.DisposeAsync();
        meter.Dispose();
    }

    [Test]
    public async Task Should_deliver_every_message_once_in_the_order_of_its_key()
    {
        var started = Stopwatch.GetTimestamp();
        // One producer per key, commits strictly one after the other within a key, interleaved across keys and hosts.
        await Task.WhenAll(Enumerable.Range(0, Keys).Select(k => Task.Run(async () =>
        {
            for (var seq = 1; seq <= PerKey; seq++)
                await (seq % 2 == 0 ? first : second).PublishAndCommitAsync(new Numbered($"key-{k}", seq));
        })));

        await first.Recorder.WaitUntilAsync(items => items.Count(i => i.Message is Numbered) >= Keys * PerKey, $"{Keys * PerKey} messages",
            TimeSpan.FromSeconds(90));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM outbox_state") == 0, "outbox emptied");
        await first.DrainAsync(nameof(RecordingConsumer));

        var received = first.Recorder.Items.Where(i => i.Message is Numbered).ToList();
        var byFirst = meter.Total(first, OutboxMetrics.Delivered);
        var bySecond = meter.Total(second, OutboxMetrics.Delivered);
        await TestContext.Out.WriteLineAsync(
            $"{Keys * PerKey} messages committed by {Keys} concurrent producers and delivered by two instances in {elapsed.TotalSeconds:F1} s " +
            $"({Keys * PerKey / elapsed.TotalSeconds:F0} msg/s end to end); sent by the first {byFirst}, by the second {bySecond}");

        Assert.That(received, Has.Count.EqualTo(Keys * PerKey));
        Assert.That(received.Select(i => i.MessageId).Distinct().Count(), Is.EqualTo(Keys * PerKey));
        foreach (var key in received.Select(i => (Numbered)i.Message).GroupBy(n => n.Key))
            Assert.That(key.Select(n => n.Seq), Is.EqualTo(Enumerable.Range(1, PerKey)), key.Key);
        Assert.That(byFirst + bySecond, Is.EqualTo(Keys * PerKey));
        Assert.That(byFirst, Is.Positive);
        Assert.That(bySecond, Is.Positive);
    }

    private static void ConfigureOutbox(MassTransit.IBusRegistrationConfigurator x) =>
        x.AddTaskFlowOutbox<SpecDbContext>(o =>
        {
            o.QueryDelay = TimeSpan.FromMinutes(5);
            o.PartitionKey(message => message is Numbered n ? n.Key : null);
            o.UseBusOutbox();
        });
}

/// <summary>A backlog committed while no instance delivered, then two instances start: how fast it drains.</summary>
[Category(SpecCategories.Timing)]
public class When_two_delivery_services_drain_a_backlog
{
    // Like API requests: one event per transaction, 200 aggregates with 5 events each; more keys than one claim takes.
    private const int Keys = 200;
    private const int Transactions = 1000;
    private const int PerTransaction = 1;

    [Test]
    public async Task Should_deliver_it_once_each_in_key_order()
    {
        await using var database = await SpecDatabase.CreateAsync("backlog");
        await using var virtualHost = await TestVirtualHost.CreateAsync("backlog");
        using var meter = new DeliveryMeter();
        const int total = Transactions * PerTransaction;

        await using (var producer = await SpecHost.StartAsync(database, virtualHost, x =>
        {
            Configure(x, deliver: false);
            // Declares the queue and its bindings so the backlog has somewhere to go.
            x.AddConsumer<RecordingConsumer>().Endpoint(e => e.Name = "recorder");
        }))
        {
            await producer.Bus.StopAsync();
            for (var t = 0; t < Transactions; t++)
                await producer.PublishAndCommitAsync(Enumerable.Range(0, PerTransaction)
                    .Select(i => (object)new Numbered($"key-{(t * PerTransaction + i) % Keys}", (t * PerTransaction + i) / Keys + 1)).ToArray());
        }

        Assert.That(await database.CountAsync("SELECT count(*) FROM outbox_message"), Is.EqualTo(total));

        // Both instances start while the table is locked, so their first claims wait and then race from the same moment.
        await using var gate = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await gate.OpenAsync();
        var lockTable = await gate.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand("LOCK TABLE outbox_state IN EXCLUSIVE MODE", gate, lockTable))
            await command.ExecuteNonQueryAsync();
        await using var first = await SpecHost.StartAsync(database, virtualHost, x =>
        {
            Configure(x, deliver: true);
            x.AddRecorder();
        });
        await using var second = await SpecHost.StartAsync(database, virtualHost, x => Configure(x, deliver: true));
        await Eventually.HoldsAsync(async () => await database.CountAsync(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'outbox_state'::regclass")
            == 2 * OutboxDeliveryService<SpecDbContext>.ConcurrentPasses, "every pass of both instances waiting to claim");
        var started = Stopwatch.GetTimestamp();
        await lockTable.CommitAsync();
        await Eventually.HoldsAsync(async () => await database.CountAsync("SELECT count(*) FROM outbox_message") == 0, "backlog sent",
            TimeSpan.FromSeconds(90));
        var sent = Stopwatch.GetElapsedTime(started);
        await first.Recorder.WaitUntilAsync(items => items.Count(i => i.Message is Numbered) >= total, $"{total} messages", TimeSpan.FromSeconds(90));
        var consumed = Stopwatch.GetElapsedTime(started);
        await first.DrainAsync(nameof(RecordingConsumer));

        var received = first.Recorder.Items.Where(i => i.Message is Numbered).ToList();
        await TestContext.Out.WriteLineAsync(
            $"backlog of {total} messages ({Transactions} transactions, {Keys} keys): sent by two instances in {sent.TotalSeconds:F2} s " +
            $"= {total / sent.TotalSeconds:F0} msg/s (first {meter.Total(first, OutboxMetrics.Delivered)}, second {meter.Total(second, OutboxMetrics.Delivered)}); " +
            $"all consumed after {consumed.TotalSeconds:F2} s");

        Assert.That(received, Has.Count.EqualTo(total));
        Assert.That(received.Select(i => i.MessageId).Distinct().Count(), Is.EqualTo(total));
        foreach (var key in received.Select(i => (Numbered)i.Message).GroupBy(n => n.Key))
            Assert.That(key.Select(n => n.Seq), Is.EqualTo(Enumerable.Range(1, total / Keys)), key.Key);
        Assert.That(total / sent.TotalSeconds, Is.GreaterThan(DrainFloor), $"msg/s sent by two instances (in {sent.TotalSeconds:F2} s)");
    }

    // Eight passes (four per instance) each claim up to 100 states and send them through a window of confirms:
    // 1,400-2,700 msg/s measured, quiet or beside two busy loops. Half the slowest, so a drain that claims and commits
    // one message per transaction (650 msg/s measured) or waits between batches does not pass.
    private const double DrainFloor = 700;

    internal static void Configure(MassTransit.IBusRegistrationConfigurator x, bool deliver, int messageDeliveryLimit = 100) =>
        x.AddTaskFlowOutbox<SpecDbContext>(o =>
        {
            o.QueryDelay = TimeSpan.FromMinutes(5);
            o.PartitionKey(message => message is Numbered n ? n.Key : null);
            o.UseBusOutbox(b =>
            {
                b.MessageDeliveryLimit = messageDeliveryLimit;
                if (!deliver)
                    b.DisableDeliveryService();
            });
        });
}

/// <summary>
/// Transactions with more messages than one pass sends of a state: the state stays, with its progress, for the next pass,
/// which may be another instance's whose claim began before this one committed.
/// </summary>
public class When_two_delivery_services_share_states_longer_than_a_pass
{
    private const int Transactions = 300;
    private const int PerTransaction = 3;

    [Test]
    public async Task Should_send_each_message_once()
    {
        await using var database = await SpecDatabase.CreateAsync("partial");
        await using var virtualHost = await TestVirtualHost.CreateAsync("partial");
        const int total = Transactions * PerTransaction;
        await using (var producer = await SpecHost.StartAsync(database, virtualHost, x =>
        {
            When_two_delivery_services_drain_a_backlog.Configure(x, deliver: false);
            x.AddConsumer<RecordingConsumer>().Endpoint(e => e.Name = "recorder");
        }))
        {
            await producer.Bus.StopAsync();
            for (var t = 0; t < Transactions; t++)
                await producer.PublishAndCommitAsync(Enumerable.Range(1, PerTransaction).Select(i => (object)new Numbered($"key-{t}", i)).ToArray());
        }

        // One message a pass, so every state is left half-sent, again and again, while the other instance claims.
        await using var first = await SpecHost.StartAsync(database, virtualHost, x =>
        {
            When_two_delivery_services_drain_a_backlog.Configure(x, deliver: true, messageDeliveryLimit: 1);
            x.AddRecorder();
        });
        await using var second = await SpecHost.StartAsync(database, virtualHost,
            x => When_two_delivery_services_drain_a_backlog.Configure(x, deliver: true, messageDeliveryLimit: 1));
        await Eventually.HoldsAsync(async () => await database.CountAsync("SELECT count(*) FROM outbox_state") == 0, "backlog sent",
            TimeSpan.FromSeconds(90));
        await first.DrainAsync(nameof(RecordingConsumer));

        var received = first.Recorder.Items.Where(i => i.Message is Numbered).ToList();
        Assert.That(received.Select(i => i.MessageId).Distinct().Count(), Is.EqualTo(total), "every message");
        Assert.That(received, Has.Count.EqualTo(total), "each once");
        foreach (var key in received.Select(i => (Numbered)i.Message).GroupBy(n => n.Key))
            Assert.That(key.Select(n => n.Seq), Is.EqualTo(Enumerable.Range(1, PerTransaction)), key.Key);
    }
}
