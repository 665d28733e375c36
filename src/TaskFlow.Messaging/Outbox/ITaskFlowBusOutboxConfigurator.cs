using MassTransit;

namespace TaskFlow.Messaging.Outbox;

/// <summary>The counterpart of MassTransit's <c>IEntityFrameworkBusOutboxConfigurator</c>.</summary>
public interface ITaskFlowBusOutboxConfigurator : IBusOutboxConfigurator
{
    /// <summary>Messages of one outbox state sent per delivery transaction (default 100).</summary>
    int MessageDeliveryLimit { set; }

    /// <summary>How long one send may wait for the broker's confirm (default 5 seconds).</summary>
    TimeSpan MessageDeliveryTimeout { set; }

    /// <summary>
    /// Passes a state may fail while the broker is healthy before it is parked (default 10): parked, it is sent no more
    /// until an operator replays it, and the later messages of its partition key go on without it (docs/operations.md).
    /// </summary>
    int DeliveryAttemptLimit { set; }

    /// <summary>
    /// No LISTEN connection (e.g. behind a transaction-pooling proxy): other instances' commits are then found by the
    /// sweep only. Commits in this process still wake the delivery service directly.
    /// </summary>
    void DisableNotificationListener();
}
