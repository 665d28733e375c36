using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// A committed message that can never be sent (its stored headers do not read back) while the broker is healthy: it
/// is tried a bounded number of times, then parked where an operator sees it, and its key's later events go on.
/// </summary>
public class When_a_stored_message_can_never_be_sent
{
    [Test]
    public async Task Should_park_it_after_the_attempt_limit_let_its_key_go_on_and_send_it_once_replayed()
    {
        await using var environment = await SpecEnvironment.CreateAsync("parking");
        var producer = await environment.StartHostAsync(x =>
        {
            x.AddTaskFlowOutbox<SpecDbContext>(o =>
            {
                o.PartitionKey(message => message is Numbered n ? n.Key : null);
                o.UseBusOutbox(b => b.DisableDeliveryService());
            });
        });
        var first = new Numbered("parked", 1);
        await producer.PublishAndCommitAsync(first);
        await environment.StopHostAsync(producer);
        await environment.Database.ExecuteAsync("""
            CREATE TABLE kept_headers AS SELECT sequence_number, headers FROM outbox_message;
            UPDATE outbox_message SET headers = '{not json';
            """);

        var api = await environment.StartOutboxHostAsync(o => o.PartitionKey(message => message is Numbered n ? n.Key : null),
            b => b.DeliveryAttemptLimit = 3);
        var second = new Numbered("parked", 2);
        await api.PublishAndCommitAsync(second);

        await api.Recorder.WaitUntilAsync(items => items.Any(i => Equals(i.Message, second)), "the key's next event");
        Assert.That(await environment.Database.CountAsync(
            "SELECT count(*) FROM outbox_state WHERE parked IS NOT NULL AND delivery_attempts = 3 AND last_error IS NOT NULL"), Is.EqualTo(1));
        await Eventually.HoldsAsync(() => Task.FromResult(Gauges.Collect(api).GetValueOrDefault(OutboxMetrics.Parked) == 1), "the parked gauge reads 1");

        // The operations guide's replay, once the cause is repaired.
        await environment.Database.ExecuteAsync("""
            UPDATE outbox_message AS m SET headers = k.headers FROM kept_headers AS k WHERE k.sequence_number = m.sequence_number;
            UPDATE outbox_state SET parked = NULL, delivery_attempts = 0, last_error = NULL WHERE parked IS NOT NULL;
            """);
        var third = new Numbered("parked", 3);
        await api.PublishAndCommitAsync(third);

        await api.Recorder.WaitUntilAsync(items => items.Any(i => Equals(i.Message, third)), "the event after the replay");
        // A state is deleted in the transaction that commits after the broker's confirm, so possibly after the arrival.
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM outbox_state") == 0, "the outbox emptied");
        await api.DrainAsync(nameof(RecordingConsumer));
        Assert.That(api.Recorder.Of<Numbered>().Where(n => n.Key == "parked"), Is.EqualTo(new[] { second, first, third }));
    }
}

/// <summary>A pass keeps failing while the bus is healthy: the delivery service waits out a growing back-off on its clock.</summary>
public class When_sends_keep_failing_while_the_bus_is_healthy
{
    [Test]
    public async Task Should_wait_a_growing_back_off_on_its_clock_before_each_new_attempt()
    {
        await using var environment = await SpecEnvironment.CreateAsync("backoff");
        await environment.Database.ExecuteAsync("""
            INSERT INTO outbox_state (outbox_id, lock_id) VALUES ('8d4a3f57-0000-0000-0000-000000000001', gen_random_uuid());
            INSERT INTO outbox_message (outbox_id, message_id, sent_time, content_type, message_type, body, headers, destination_address)
            VALUES ('8d4a3f57-0000-0000-0000-000000000001', gen_random_uuid(), now(), 'application/vnd.masstransit+json',
                    'urn:message:Spec:Poison', '{}', '{not json', 'rabbitmq://localhost/poison');
            """);
        var clock = new RecordingClock(new DateTimeOffset(2131, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await environment.StartOutboxHostAsync(services: x => x.AddSingleton<TimeProvider>(clock));

        // Every failed attempt is followed by a wait on the clock (two loops may both have tried it as they started), and
        // the next attempt comes only once the clock has moved on by that wait; then the wait is longer.
        await Eventually.HoldsAsync(async () => BackOffs(clock, 1) > 0 && await AttemptsAsync(environment) == BackOffs(clock, 1),
            "each attempt waits a 1 s back-off");
        Assert.That(BackOffs(clock, 2), Is.Zero, "no second attempt while the clock stands still");

        clock.Advance(TimeSpan.FromSeconds(1));

        await Eventually.HoldsAsync(async () => BackOffs(clock, 2) > 0 && await AttemptsAsync(environment) == BackOffs(clock, 1) + BackOffs(clock, 2),
            "each attempt after the first back-off waits 2 s");
    }

    private static int BackOffs(RecordingClock clock, int seconds) => clock.Timers.Count(t => t == TimeSpan.FromSeconds(seconds));

    private static async Task<long> AttemptsAsync(SpecEnvironment environment) =>
        await environment.Database.CountAsync("SELECT coalesce(sum(delivery_attempts), 0) FROM outbox_state");
}

/// <summary>
/// A pass whose broker is slow runs past its query timeout between two sends of one state: what was confirmed before
/// is recorded as sent, not sent again by the next pass.
/// </summary>
public class When_a_delivery_pass_runs_past_its_query_timeout
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    [Test]
    public async Task Should_not_send_again_what_the_broker_confirmed()
    {
        await using var environment = await SpecEnvironment.CreateAsync("overtime");
        var api = await environment.StartOutboxHostAsync(o => o.QueryTimeout = QueryTimeout);
        var confirmed = new Numbered("overtime", 1);
        var slow = new Numbered("overtime", 2);
        var broker = new SlowBroker(QueryTimeout * 1.5);
        using var observed = api.Bus.ConnectSendObserver(broker);

        await api.PublishAndCommitAsync(confirmed, slow);

        await api.Recorder.WaitUntilAsync(items => items.Any(i => Equals(i.Message, slow)), "the slow one");
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM outbox_state") == 0, "the state removed");
        await api.DrainAsync(nameof(RecordingConsumer));
        Assert.That(broker.Slowed, Is.True, "the broker was slow");
        Assert.That(api.Recorder.Of<Numbered>().Count(n => n == confirmed), Is.EqualTo(1));
    }

    /// <summary>
    /// The broker takes its time over the second message it is sent (the outbox re-sends stored bodies, so the send
    /// context does not hold the message itself): the pass's timeout passes while it waits.
    /// </summary>
    private sealed class SlowBroker(TimeSpan delay) : ISendObserver
    {
        private int sends;

        public bool Slowed => Volatile.Read(ref sends) >= 2;

        public async Task PreSend<T>(SendContext<T> context)
            where T : class
        {
            if (Interlocked.Increment(ref sends) == 2)
                await Task.Delay(delay);
        }

        public Task PostSend<T>(SendContext<T> context)
            where T : class => Task.CompletedTask;

        public Task SendFault<T>(SendContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}
