namespace TaskFlow.Messaging;

/// <summary>The outbox delivery service's instruments (System.Diagnostics.Metrics), per host through its IMeterFactory.</summary>
public static class OutboxMetrics
{
    public const string MeterName = "TaskFlow.Messaging";

    /// <summary>Counter: messages sent to the broker (confirmed) by the delivery service.</summary>
    public const string Delivered = "taskflow.outbox.delivered";

    /// <summary>Counter: delivery passes that left messages behind (broker or database trouble).</summary>
    public const string DeliveryFailures = "taskflow.outbox.delivery_failures";

    /// <summary>Gauge: messages stored and not yet sent, across every instance (read from the database).</summary>
    public const string Backlog = "taskflow.outbox.backlog";

    /// <summary>Gauge, seconds: how long the oldest message not yet sent has waited.</summary>
    public const string OldestAge = "taskflow.outbox.oldest_age";
}
