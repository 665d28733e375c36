using MassTransit;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// One captured send or publish, waiting to leave: either for a request scope (<see cref="OutboxId"/>, bus outbox)
/// or for a consumer (<see cref="InboxMessageId"/> + <see cref="InboxConsumerId"/>, consumer outbox).
/// Columns mirror MassTransit.EntityFrameworkCore's <c>OutboxMessage</c> name for name.
/// </summary>
public class OutboxMessage : StoredMessage
{
    public long SequenceNumber { get; set; }

    public DateTime SentTime { get; set; }

    public Guid? InboxMessageId { get; set; }
    public Guid? InboxConsumerId { get; set; }
    public Guid? OutboxId { get; set; }

    protected override DateTime SentAt => SentTime;
    protected override long Sequence => SequenceNumber;

    /// <summary>A row from a send context that MassTransit built completely, to leave once its transaction commits.</summary>
    public static OutboxMessage FromSendContext<T>(SendContext<T> context, IObjectDeserializer deserializer, DateTime now)
        where T : class
    {
        var message = new OutboxMessage();
        message.Capture(context, deserializer, now);
        message.SentTime = context.SentTime ?? now;
        return message;
    }
}
