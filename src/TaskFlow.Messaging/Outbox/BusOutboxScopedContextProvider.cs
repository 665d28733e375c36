using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// Replaces MassTransit's scoped bus context provider: inside a consumer it behaves as the default one (the consumer's
/// context, which the inbox already captures); anywhere else the scope's sends and publishes go to the outbox.
/// </summary>
internal sealed class BusOutboxScopedContextProvider<TDbContext> : IScopedBusContextProvider<IBus>
    where TDbContext : DbContext
{
    public BusOutboxScopedContextProvider(IBus bus, Bind<IBus, IClientFactory> clientFactory,
        Bind<IBus, IScopedConsumeContextProvider> consumeContextProvider, IScopedConsumeContextProvider globalConsumeContextProvider,
        IServiceProvider provider, IOptions<TaskFlowOutboxOptions<TDbContext>> options, TimeProvider clock)
    {
        if (consumeContextProvider.Value.HasContext)
            Context = new ConsumeContextScopedBusContext(consumeContextProvider.Value.GetContext(), clientFactory.Value);
        else if (globalConsumeContextProvider.HasContext)
            Context = new ConsumeContextScopedBusContext<IBus>(bus, globalConsumeContextProvider.GetContext(), clientFactory.Value, provider);
        else
            Context = new BusOutboxScopedContext<TDbContext>(bus, clientFactory.Value, provider, options.Value.PartitionKey, clock);
    }

    public ScopedBusContext Context { get; }
}
