namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// The messages one transaction published with one partition key; delivered in <see cref="OutboxMessage.SequenceNumber"/>
/// order. Columns mirror MassTransit.EntityFrameworkCore's <c>OutboxState</c> (without its row version) plus
/// <see cref="PartitionKey"/>.
/// </summary>
public class OutboxState
{
    public Guid OutboxId { get; set; }
    public Guid LockId { get; set; }

    /// <summary>
    /// Database time. The insert default is replaced at commit by a deferred trigger (migrations/0004), so states of one
    /// partition key sort in commit order.
    /// </summary>
    public DateTime Created { get; set; }

    public DateTime? Delivered { get; set; }
    public long? LastSequenceNumber { get; set; }

    /// <summary>States with the same key leave one after the other, oldest first; null means no ordering constraint.</summary>
    public string? PartitionKey { get; set; }

    /// <summary>Passes whose send of this state's next message was refused while the broker was healthy (migrations/0011).</summary>
    public int DeliveryAttempts { get; set; }

    /// <summary>Why the last counted attempt failed, for the operator.</summary>
    public string? LastError { get; set; }

    /// <summary>
    /// Set when the attempts reached the delivery service's limit: no pass claims the state, and later states of its
    /// partition key go on without it. Clearing it (and the count) replays the state.
    /// </summary>
    public DateTime? Parked { get; set; }
}
