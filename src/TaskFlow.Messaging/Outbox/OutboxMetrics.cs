namespace TaskFlow.Messaging.Outbox;

/// <summary>The outbox delivery service's instruments (System.Diagnostics.Metrics), per host through its IMeterFactory.</summary>
public static class OutboxMetrics
{
    public const string MeterName = "TaskFlow.Messaging";

    /// <summary>Counter: messages sent to the broker (confirmed) by the delivery service.</summary>
    public const string Delivered = "taskflow.outbox.delivered";

    /// <summary>Counter: delivery passes that left messages behind (broker or database trouble).</summary>
    public const string DeliveryFailures = "taskflow.outbox.delivery_failures";

    /// <summary>
    /// Gauge: messages stored and not yet sent, parked ones apart, across every instance (read from the database by the
    /// delivery service every few seconds, not by the collection).
    /// </summary>
    public const string Backlog = "taskflow.outbox.backlog";

    /// <summary>Gauge, seconds: how long the oldest message not yet sent (and not parked) has waited.</summary>
    public const string OldestAge = "taskflow.outbox.oldest_age";

    /// <summary>
    /// Gauge: messages of parked outbox states, which the delivery service gave up sending after its attempt limit and
    /// which wait for an operator (docs/operations.md); anything above zero needs a look.
    /// </summary>
    public const string Parked = "taskflow.outbox.parked";
}
