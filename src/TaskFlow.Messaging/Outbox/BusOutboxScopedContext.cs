using MassTransit;
using MassTransit.Clients;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Serialization;
using MassTransit.Transports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// The request scope's bus: MassTransit builds each send context against the real transport, and
/// <see cref="AddSend{T}"/> turns it into tracked rows of the scoped DbContext, saved by the application's own
/// SaveChanges in its own transaction.
/// </summary>
internal sealed class BusOutboxScopedContext<TDbContext> : ScopedBusContext, OutboxSendContext
    where TDbContext : DbContext
{
    private readonly IBus bus;
    private readonly IClientFactory clientFactory;
    private readonly IServiceProvider provider;
    private readonly Func<object, string?> partitionKey;
    private readonly TimeProvider clock;
    private readonly Lock sync = new();
    private readonly Dictionary<string, OutboxState> keyedStates = new(StringComparer.Ordinal);
    private OutboxState? unkeyedState;
    private TDbContext? dbContext;
    private ISendEndpointProvider? sendEndpointProvider;
    private IPublishEndpoint? publishEndpoint;
    private IScopedClientFactory? scopedClientFactory;

    public BusOutboxScopedContext(IBus bus, IClientFactory clientFactory, IServiceProvider provider, Func<object, string?> partitionKey,
        TimeProvider clock)
    {
        this.clock = clock;
        this.bus = bus;
        this.clientFactory = clientFactory;
        this.provider = provider;
        this.partitionKey = partitionKey;
    }

    public ISendEndpointProvider SendEndpointProvider => sendEndpointProvider ??= new OutboxSendEndpointProvider(this, bus);

    public IPublishEndpoint PublishEndpoint => publishEndpoint ??= new PublishEndpoint(new OutboxPublishEndpointProvider(this, bus));

    /// <summary>Requests bypass the outbox (a response cannot wait for a commit).</summary>
    public IScopedClientFactory ClientFactory =>
        scopedClientFactory ??= new ScopedClientFactory(new ClientFactory(new ScopedClientFactoryContext(clientFactory, provider)), null);

    public object? GetService(Type serviceType) => provider.GetService(serviceType);

    public Task AddSend<T>(SendContext<T> context)
        where T : class
    {
        var message = OutboxMessage.FromSendContext(context, SystemTextJsonMessageSerializer.Instance, clock.GetUtcNow().UtcDateTime);
        lock (sync)
        {
            var db = dbContext ??= provider.GetRequiredService<TDbContext>();
            var state = StateFor(db, partitionKey(context.Message));
            message.OutboxId = state.OutboxId;
            db.Add(message);
        }

        return Task.CompletedTask;
    }

    /// <summary>One state per partition key and transaction: once the states are saved, later sends start new ones.</summary>
    private OutboxState StateFor(TDbContext db, string? key)
    {
        var pending = keyedStates.Values.Append(unkeyedState).OfType<OutboxState>();
        if (pending.Any(s => db.Entry(s).State != EntityState.Added))
        {
            keyedStates.Clear();
            unkeyedState = null;
        }

        var state = key is null ? unkeyedState : keyedStates.GetValueOrDefault(key);
        if (state is not null)
            return state;

        state = new OutboxState { OutboxId = NewId.NextGuid(), LockId = NewId.NextGuid(), PartitionKey = key };
        db.Add(state);
        if (key is null)
            unkeyedState = state;
        else
            keyedStates[key] = state;
        return state;
    }
}
