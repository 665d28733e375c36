using System.Collections.Concurrent;
using System.Data.Common;
using MassTransit;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>A worker whose endpoints run every consumer behind the inbox (as the TaskFlow worker registers it).</summary>
public class When_a_consumer_uses_the_inbox
{
    private readonly ConcurrentQueue<string> statements = new();
    private SpecEnvironment environment = null!;
    private SpecHost worker = null!;

    private TestDatabase Database => environment.Database;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        environment = await SpecEnvironment.CreateAsync("inbox");
        worker = await environment.StartHostAsync(x =>
        {
            x.AddSingleton<IInterceptor>(new StatementRecorder(statements));
            x.AddTaskFlowOutbox<SpecDbContext>(o => o.DuplicateDetectionWindow = TimeSpan.FromMinutes(30));
            x.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseTaskFlowOutbox<SpecDbContext>(context));
            x.AddConsumer<PingConsumer>().Endpoint(e => Serial(e, "ping"));
            x.AddConsumer<ForwardingConsumer>().Endpoint(e => Serial(e, "forward"));
            x.AddConsumer<ForwardedConsumer>().Endpoint(e => Serial(e, "forwarded"));
            x.AddConsumer<ConcurrentPingConsumer>().Endpoint(e =>
            {
                e.Name = "ping-concurrent";
                e.ConcurrentMessageLimit = 8;
            });
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await environment.DisposeAsync();

    [Test]
    public async Task Should_run_the_consumer_once_for_a_duplicated_message_id()
    {
        var ping = new Ping(Guid.NewGuid());
        var messageId = NewId.NextGuid();
        var endpoint = await worker.Bus.GetSendEndpoint(new Uri("queue:ping"));
        await endpoint.Send(ping, c => c.MessageId = messageId);
        await endpoint.Send(ping, c => c.MessageId = messageId);
        await worker.DrainAsync(nameof(PingConsumer));

        Assert.That(worker.Recorder.Of<Ping>().Count(p => p == ping), Is.EqualTo(1));
        Assert.That(await Database.CountAsync("SELECT count(*) FROM notes WHERE text = @text", ("text", $"ping {ping.Id}")), Is.EqualTo(1));
        Assert.That(await Database.CountAsync("SELECT receive_count FROM inbox_state WHERE message_id = @id", ("id", messageId)), Is.EqualTo(2));
        Assert.That(await Database.CountAsync("SELECT count(*) FROM inbox_state WHERE message_id = @id AND delivered IS NOT NULL", ("id", messageId)),
            Is.EqualTo(1));
    }

    [Test]
    public async Task Should_run_the_consumer_once_when_copies_arrive_at_the_same_time()
    {
        const int copies = 8;
        var ping = new Ping(Guid.NewGuid());
        var messageId = NewId.NextGuid();
        var endpoint = await worker.Bus.GetSendEndpoint(new Uri("queue:ping-concurrent"));
        await Task.WhenAll(Enumerable.Range(0, copies).Select(_ => endpoint.Send(ping, c => c.MessageId = messageId)));

        // Every copy that got through the inbox counted itself in the row it had to wait for.
        await Eventually.HoldsAsync(async () => await Database.CountAsync(
            "SELECT coalesce(sum(receive_count), 0) FROM inbox_state WHERE message_id = @id AND delivered IS NOT NULL", ("id", messageId)) == copies,
            "all copies handled");

        Assert.That(worker.Recorder.Of<Ping>().Count(p => p == ping), Is.EqualTo(1));
        Assert.That(await Database.CountAsync("SELECT count(*) FROM notes WHERE text = @text", ("text", $"ping {ping.Id}")), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_deliver_what_the_consumer_published_only_after_its_transaction_committed()
    {
        var forward = new Forward(Guid.NewGuid(), Fail: false);
        var messageId = NewId.NextGuid();
        await (await worker.Bus.GetSendEndpoint(new Uri("queue:forward"))).Send(forward, c => c.MessageId = messageId);

        var received = await worker.Recorder.WaitUntilAsync(
            items => items.Any(i => i.Message is Forwarded f && f.Id == forward.Id), "the consumer's publish");
        await Eventually.HoldsAsync(async () => await Database.CountAsync(
            "SELECT count(*) FROM outbox_message WHERE inbox_message_id = @id", ("id", messageId)) == 0, "the consumer's outbox emptied");

        Assert.That(received.Single(i => i.Message is Forwarded f && f.Id == forward.Id).Flag, Is.True,
            "the note written with the publish was committed when the published message arrived");
        Assert.That(await Database.CountAsync("SELECT count(*) FROM inbox_state WHERE message_id = @id AND consumed IS NOT NULL", ("id", messageId)),
            Is.EqualTo(1));
    }

    [Test]
    public async Task Should_deliver_nothing_the_consumer_published_when_it_throws()
    {
        var forward = new Forward(Guid.NewGuid(), Fail: true);
        var messageId = NewId.NextGuid();
        await (await worker.Bus.GetSendEndpoint(new Uri("queue:forward"))).Send(forward, c => c.MessageId = messageId);
        // First the failing message is done with (it sits before the marker in its queue), then anything it could
        // have sent would sit before the second marker in the forwarded queue.
        await worker.DrainAsync(nameof(ForwardingConsumer));
        await worker.DrainAsync(nameof(ForwardedConsumer));

        Assert.That(worker.Recorder.Of<Forward>(), Does.Contain(forward), "the consumer ran and published");
        Assert.That(worker.Recorder.Of<Forwarded>().Where(f => f.Id == forward.Id), Is.Empty);
        Assert.That(await Database.CountAsync("SELECT count(*) FROM notes WHERE id = @id", ("id", forward.Id)), Is.Zero);
        Assert.That(await Database.CountAsync("SELECT count(*) FROM outbox_message WHERE inbox_message_id = @id", ("id", messageId)), Is.Zero);
        Assert.That(await Database.CountAsync("SELECT count(*) FROM inbox_state WHERE message_id = @id", ("id", messageId)), Is.Zero);
    }

    [Test]
    public async Task Should_take_a_first_receive_that_sends_nothing_in_one_transaction_without_touching_the_row_again()
    {
        var ping = new Ping(Guid.NewGuid());
        var messageId = NewId.NextGuid();
        statements.Clear();
        await (await worker.Bus.GetSendEndpoint(new Uri("queue:ping"))).Send(ping, c => c.MessageId = messageId);
        await worker.DrainAsync(nameof(PingConsumer));

        Assert.That(worker.Recorder.Of<Ping>().Count(p => p == ping), Is.EqualTo(1));
        Assert.That(await Database.CountAsync(
            "SELECT count(*) FROM inbox_state WHERE message_id = @id AND consumed IS NOT NULL AND delivered IS NOT NULL", ("id", messageId)), Is.EqualTo(1));
        // The upsert stored it consumed and delivered: no UPDATE of the row, no query for messages it cannot have.
        var sent = statements.ToArray();
        Assert.That(sent.Where(s => s.Contains("inbox_state", StringComparison.Ordinal) && s.TrimStart().StartsWith("UPDATE", StringComparison.Ordinal)),
            Is.Empty);
        Assert.That(sent.Where(s => s.Contains("outbox_message", StringComparison.Ordinal)), Is.Empty);
    }

    private static void Serial(IEndpointRegistrationConfigurator endpoint, string name)
    {
        endpoint.Name = name;
        endpoint.ConcurrentMessageLimit = 1;
    }
}

/// <summary>The cleanup service forgets inbox rows delivered longer ago than the duplicate detection window, in batches.</summary>
public class When_the_inbox_is_cleaned_up
{
    [Test]
    public async Task Should_delete_only_rows_delivered_before_the_window()
    {
        await using var database = await SpecDatabase.CreateAsync("cleanup");
        await using var virtualHost = await TestVirtualHost.CreateAsync("cleanup");
        await database.ExecuteAsync("""
            INSERT INTO inbox_state (message_id, consumer_id, lock_id, received, receive_count, consumed, delivered)
            SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), now() - interval '3 hours', 1,
                   now() - interval '3 hours', now() - interval '2 hours'
            FROM generate_series(1, 5);
            INSERT INTO inbox_state (message_id, consumer_id, lock_id, received, receive_count, consumed, delivered) VALUES
                (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), now(), 1, now(), now() - interval '10 minutes'),
                (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), now() - interval '3 hours', 1, now() - interval '3 hours', NULL);
            """);

        await using var worker = await SpecHost.StartAsync(database, virtualHost, x => x.AddTaskFlowOutbox<SpecDbContext>(o =>
        {
            o.DuplicateDetectionWindow = TimeSpan.FromHours(1);
            o.QueryMessageLimit = 2;
            o.QueryDelay = TimeSpan.FromMinutes(5);
        }));

        await Eventually.HoldsAsync(async () => await database.CountAsync("SELECT count(*) FROM inbox_state") == 2, "old rows deleted");
        Assert.That(await database.CountAsync("SELECT count(*) FROM inbox_state WHERE delivered > now() - interval '1 hour'"), Is.EqualTo(1));
        Assert.That(await database.CountAsync("SELECT count(*) FROM inbox_state WHERE delivered IS NULL"), Is.EqualTo(1));
    }
}

/// <summary>Every SQL text the spec hosts' DbContexts execute (the inbox's statements go through them).</summary>
internal sealed class StatementRecorder(ConcurrentQueue<string> statements) : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        statements.Enqueue(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        statements.Enqueue(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        statements.Enqueue(command.CommandText);
        return ValueTask.FromResult(result);
    }
}
