using MassTransit;

namespace TaskFlow.Messaging.Outbox;

/// <summary>The counterpart of MassTransit's <c>IEntityFrameworkOutboxConfigurator</c> (PostgreSQL only, ReadCommitted + row locks).</summary>
public interface ITaskFlowOutboxConfigurator : ITransactionalOutboxConfigurator
{
    /// <summary>How long a consumed message id is remembered after its outbox was delivered (default 30 minutes).</summary>
    TimeSpan DuplicateDetectionWindow { set; }

    /// <summary>The safety-net sweep of the delivery service and the period of the inbox cleanup (default 10 seconds).</summary>
    TimeSpan QueryDelay { set; }

    /// <summary>Outbox states claimed per delivery transaction, and inbox rows deleted per cleanup statement (default 100).</summary>
    int QueryMessageLimit { set; }

    /// <summary>The longest one delivery or cleanup transaction may take (default 30 seconds).</summary>
    TimeSpan QueryTimeout { set; }

    void DisableInboxCleanupService();

    /// <summary>Message → partition key: messages with the same key leave in commit order (default: no key).</summary>
    void PartitionKey(Func<object, string?> partitionKey);

    /// <summary>Every <c>IPublishEndpoint</c>/<c>ISendEndpointProvider</c> resolved outside a consumer writes to the outbox.</summary>
    void UseBusOutbox(Action<ITaskFlowBusOutboxConfigurator>? configure = null);
}
