namespace TaskFlow.Components.Bus;

/// <summary>What a host does with the bus.</summary>
public enum BusRole
{
    /// <summary>Publishes through the bus outbox and delivers it; consumes only to push events to its own browsers.</summary>
    Api,

    /// <summary>Runs the consumers: each behind the inbox, or idempotent by a key of its own where a batch stores it.</summary>
    Worker,
}
