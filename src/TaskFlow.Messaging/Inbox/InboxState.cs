namespace TaskFlow.Messaging.Inbox;

/// <summary>
/// One (message, consumer) pair seen by the consumer inbox. Columns mirror MassTransit.EntityFrameworkCore's
/// <c>InboxState</c> (without its row version).
/// </summary>
public class InboxState
{
    public long Id { get; set; }
    public Guid MessageId { get; set; }
    public Guid ConsumerId { get; set; }
    public Guid LockId { get; set; }
    public DateTime Received { get; set; }
    public int ReceiveCount { get; set; }

    /// <summary>Set in the transaction that ran the consumer: the message will not be consumed again.</summary>
    public DateTime? Consumed { get; set; }

    /// <summary>Set once every message the consumer published has been sent; the duplicate detection window runs from here.</summary>
    public DateTime? Delivered { get; set; }

    public long? LastSequenceNumber { get; set; }
}
