using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Sagas;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// The ticket saga in the spec DbContext, on an endpoint that runs 8 messages at once; the same specs run with the
/// repository's own transaction and inside the inbox's.
/// </summary>
public abstract class SagaRepositorySpecs(bool inbox)
{
    private const int Concurrency = 8;

    private SpecEnvironment environment = null!;

    protected SpecHost Worker { get; private set; } = null!;
    protected TestDatabase Database => environment.Database;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        environment = await SpecEnvironment.CreateAsync(inbox ? "saga-inbox" : "saga");
        Worker = await environment.StartHostAsync(x =>
        {
            if (inbox)
            {
                x.AddTaskFlowOutbox<SpecDbContext>();
                x.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseTaskFlowOutbox<SpecDbContext>(context));
            }

            x.AddSagaStateMachine<TicketStateMachine, Ticket>()
                .TaskFlowRepository(r => r.ExistingDbContext<SpecDbContext>())
                .Endpoint(e =>
                {
                    e.Name = "tickets";
                    e.ConcurrentMessageLimit = Concurrency;
                });
            x.AddConsumer<TicketEventsConsumer>().Endpoint(e =>
            {
                e.Name = "ticket-events";
                e.ConcurrentMessageLimit = 1;
            });
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await environment.DisposeAsync();

    [Test]
    public async Task Should_create_the_instance_on_the_initiating_message_and_transition_it_on_a_later_one()
    {
        var id = NewId.NextGuid();
        await SendAsync(new OpenTicket(id, $"ref-{id}"));
        await CounterIsAsync(id, 1);
        await SendAsync(new ApproveTicket(id));
        await Eventually.HoldsAsync(async () => (await ReadAsync(id))?.CurrentState == "Approved", "ticket approved");

        // The wait above found it approved; what it did not check is that the approval left the created instance's data.
        var ticket = (await ReadAsync(id))!;
        Assert.That(ticket.Counter, Is.EqualTo(1));
        Assert.That(ticket.Reference, Is.EqualTo($"ref-{id}"));
    }

    [Test]
    public async Task Should_create_one_instance_when_two_initiating_messages_for_it_race()
    {
        var ids = Enumerable.Range(0, 40).Select(_ => NewId.NextGuid()).ToList();
        // Both copies of each id in one batch, adjacent, so they are fetched together and consumed side by side.
        await SendAsync(ids.SelectMany(id => new object[] { new OpenTicket(id, $"ref-{id}"), new OpenTicket(id, $"ref-{id}") }).ToArray());

        await Eventually.HoldsAsync(async () => await Database.CountAsync(
            "SELECT coalesce(sum(counter), 0) FROM ticket WHERE correlation_id = ANY(@ids)", ("ids", ids.ToArray())) == 2 * ids.Count,
            "both opens applied to every ticket");

        Assert.That(await Database.CountAsync("SELECT count(*) FROM ticket WHERE correlation_id = ANY(@ids)", ("ids", ids.ToArray())),
            Is.EqualTo(ids.Count));
        Assert.That(await Database.CountAsync("SELECT count(*) FROM ticket WHERE correlation_id = ANY(@ids) AND counter <> 2", ("ids", ids.ToArray())),
            Is.Zero);
    }

    [Test]
    public async Task Should_apply_every_one_of_many_concurrent_updates_to_one_instance()
    {
        const int bumps = 50;
        var id = NewId.NextGuid();
        await SendAsync(new OpenTicket(id, $"ref-{id}"));
        await CounterIsAsync(id, 1);

        await SendAsync(Enumerable.Range(0, bumps).Select(_ => (object)new BumpTicket(id)).ToArray());

        await CounterIsAsync(id, 1 + bumps);
    }

    [Test]
    public async Task Should_remove_a_finalized_instance()
    {
        var id = NewId.NextGuid();
        await SendAsync(new OpenTicket(id, $"ref-{id}"));
        await CounterIsAsync(id, 1);

        await SendAsync(new CloseTicket(id));

        await Eventually.HoldsAsync(async () => await ReadAsync(id) is null, "finalized ticket removed");
    }

    [Test]
    public async Task Should_find_the_instance_by_a_query()
    {
        var id = NewId.NextGuid();
        var other = NewId.NextGuid();
        await SendAsync(new OpenTicket(id, $"ref-{id}"), new OpenTicket(other, $"ref-{other}"));
        await CounterIsAsync(id, 1);
        await CounterIsAsync(other, 1);

        await SendAsync(new TagTicket($"ref-{id}"));

        await CounterIsAsync(id, 2);
        await SendAsync(new BumpTicket(other));
        await CounterIsAsync(other, 2);
    }

    [Test]
    public async Task Should_read_instances_through_the_load_and_query_repositories()
    {
        var id = NewId.NextGuid();
        await SendAsync(new OpenTicket(id, $"ref-{id}"));
        await CounterIsAsync(id, 1);

        var loaded = await Worker.Services.GetRequiredService<ILoadSagaRepository<Ticket>>().Load(id);
        var found = await Worker.Services.GetRequiredService<IQuerySagaRepository<Ticket>>()
            .Find(new SagaQuery<Ticket>(t => t.Reference == $"ref-{id}"));

        Assert.That(loaded?.Counter, Is.EqualTo(1));
        Assert.That(found, Is.EqualTo(new[] { id }));
    }

    protected async Task SendAsync(params object[] messages)
    {
        var endpoint = await Worker.Bus.GetSendEndpoint(new Uri("queue:tickets"));
        await endpoint.SendBatch(messages);
    }

    protected Task CounterIsAsync(Guid id, int counter) =>
        Eventually.HoldsAsync(async () => (await ReadAsync(id))?.Counter == counter, $"ticket {id} counter {counter}");

    /// <summary>The committed row, through a fresh DbContext.</summary>
    protected async Task<Ticket?> ReadAsync(Guid id)
    {
        await using var scope = Worker.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SpecDbContext>().Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.CorrelationId == id);
    }
}

/// <summary>No inbox on the endpoint: the repository opens, and commits, a transaction per message.</summary>
public class When_a_saga_keeps_its_own_transaction() : SagaRepositorySpecs(inbox: false);

/// <summary>The inbox on the endpoint: the saga runs in the inbox's transaction, which also holds what it publishes.</summary>
public class When_a_saga_runs_behind_the_inbox() : SagaRepositorySpecs(inbox: true)
{
    [Test]
    public async Task Should_deliver_what_the_saga_published_only_with_its_state_committed()
    {
        var id = NewId.NextGuid();
        await SendAsync(new OpenTicket(id, $"ref-{id}"));
        await CounterIsAsync(id, 1);

        await SendAsync(new ApproveTicket(id));

        var received = await Worker.Recorder.WaitUntilAsync(items => items.Any(i => i.Message is TicketApproved a && a.TicketId == id), "TicketApproved");
        Assert.That(received.Single(i => i.Message is TicketApproved a && a.TicketId == id).Flag, Is.True,
            "the ticket was Approved in the database when its event arrived");
    }

    [Test]
    public async Task Should_keep_neither_the_state_change_nor_the_publish_when_the_saga_throws()
    {
        var id = NewId.NextGuid();
        await SendAsync(new OpenTicket(id, $"ref-{id}"));
        await CounterIsAsync(id, 1);
        var messageId = NewId.NextGuid();
        var endpoint = await Worker.Bus.GetSendEndpoint(new Uri("queue:tickets"));

        await endpoint.Send(new ExplodeTicket(id), c => c.MessageId = messageId);
        await Worker.Recorder.WaitUntilAsync(items => items.Any(i => i.Message is ExplodeTicket e && e.TicketId == id), "the saga published and threw");
        // The explosion holds the ticket's row lock until its transaction ends, so once this bump is applied the
        // explosion is over; had it committed, the counter would be 102.
        await endpoint.Send(new BumpTicket(id));
        await Eventually.HoldsAsync(async () => (await ReadAsync(id))?.Counter is 2 or 102, "bump applied");
        await Worker.DrainAsync(nameof(TicketEventsConsumer));

        Assert.That((await ReadAsync(id))!.Counter, Is.EqualTo(2));
        Assert.That(await Database.CountAsync("SELECT count(*) FROM notes WHERE id = @id", ("id", id)), Is.Zero, "the saga's own SaveChanges");
        Assert.That(Worker.Recorder.Of<TicketExploded>().Where(e => e.TicketId == id), Is.Empty);
        Assert.That(await Database.CountAsync("SELECT count(*) FROM outbox_message WHERE inbox_message_id = @id", ("id", messageId)), Is.Zero);
        Assert.That(await Database.CountAsync("SELECT count(*) FROM inbox_state WHERE message_id = @id", ("id", messageId)), Is.Zero);
    }

    [Test]
    public async Task Should_apply_a_duplicated_message_once()
    {
        var id = NewId.NextGuid();
        await SendAsync(new OpenTicket(id, $"ref-{id}"));
        await CounterIsAsync(id, 1);
        var messageId = NewId.NextGuid();
        var endpoint = await Worker.Bus.GetSendEndpoint(new Uri("queue:tickets"));

        await endpoint.Send(new BumpTicket(id), c => c.MessageId = messageId);
        await endpoint.Send(new BumpTicket(id), c => c.MessageId = messageId);

        await Eventually.HoldsAsync(async () => await Database.CountAsync(
            "SELECT coalesce(sum(receive_count), 0) FROM inbox_state WHERE message_id = @id AND delivered IS NOT NULL", ("id", messageId)) == 2,
            "both copies handled");
        Assert.That((await ReadAsync(id))!.Counter, Is.EqualTo(2));
    }
}

/// <summary>Without a database: a saga the DbContext does not map is reported as such, not as an SQL error.</summary>
public class When_the_saga_is_not_mapped
{
    [Test]
    public async Task Should_say_which_entity_to_map()
    {
        var services = new ServiceCollection();
        services.AddDbContext<MessagingOnlyDbContext>(o => o.UseNpgsql("Host=127.0.0.1;Database=never_opened"));
        services.AddMassTransit(x => x.AddSagaStateMachine<TicketStateMachine, Ticket>()
            .TaskFlowRepository(r => r.ExistingDbContext<MessagingOnlyDbContext>()));
        await using var provider = services.BuildServiceProvider();

        var repository = provider.GetRequiredService<ILoadSagaRepository<Ticket>>();

        var exception = Assert.ThrowsAsync<InvalidOperationException>(() => repository.Load(Guid.NewGuid()));
        Assert.That(exception!.Message, Does.Contain("Ticket is not mapped").And.Contain(nameof(MessagingOnlyDbContext)));
    }

    [Test]
    public async Task Should_be_the_repository_the_provider_gives_sagas_without_one()
    {
        var services = new ServiceCollection();
        services.AddDbContext<MessagingOnlyDbContext>(o => o.UseNpgsql("Host=127.0.0.1;Database=never_opened"));
        services.AddMassTransit(x =>
        {
            x.SetTaskFlowSagaRepositoryProvider(r => r.ExistingDbContext<MessagingOnlyDbContext>());
            x.AddSagaStateMachine<TicketStateMachine, Ticket>();
        });
        await using var provider = services.BuildServiceProvider();

        var repository = provider.GetRequiredService<ILoadSagaRepository<Ticket>>();

        var exception = Assert.ThrowsAsync<InvalidOperationException>(() => repository.Load(Guid.NewGuid()));
        Assert.That(exception!.Message, Does.Contain("Ticket is not mapped"));
    }
}
