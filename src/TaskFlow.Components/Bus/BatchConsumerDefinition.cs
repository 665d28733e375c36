using MassTransit;

namespace TaskFlow.Components.Bus;

/// <summary>
/// A consumer of message batches on its own named queue, without the inbox: each such consumer makes a redelivered
/// message harmless itself (a key with ON CONFLICT, a conditional UPDATE, a recorded version), so a batch costs one
/// statement or transaction instead of an inbox row per message. Each queue gives its own values, and why.
/// </summary>
public abstract class BatchConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly (int Size, TimeSpan Gathering, int AtOnce, int Prefetch) batches;

    /// <param name="queue">The queue, named for the console.</param>
    /// <param name="batchSize">Messages a batch holds at most.</param>
    /// <param name="gathering">How long a batch waits for more after its first message.</param>
    /// <param name="batchesAtOnce">Batches consumed at the same time.</param>
    /// <param name="inFlight">Messages taken at once, each held until its batch is consumed.</param>
    /// <param name="prefetch">Messages RabbitMQ delivers ahead of their acknowledgement.</param>
    protected BatchConsumerDefinition(string queue, int batchSize, TimeSpan gathering, int batchesAtOnce, int inFlight, int prefetch)
    {
        EndpointName = queue;
        ConcurrentMessageLimit = inFlight;
        batches = (batchSize, gathering, batchesAtOnce, prefetch);
    }

    /// <summary>What comes before the batches on the endpoint, such as a partitioner where order matters.</summary>
    protected virtual void ConfigureBeforeBatches(IReceiveEndpointConfigurator endpoint)
    {
    }

    protected sealed override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = batches.Prefetch;
        ConfigureBeforeBatches(endpointConfigurator);
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(batches.Size)
            .SetConcurrencyLimit(batches.AtOnce)
            .SetTimeLimit(batches.Gathering)
            .SetTimeLimitStart(BatchTimeLimitStart.FromFirst));
    }
}
