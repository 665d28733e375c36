using MassTransit;
using MassTransit.Context;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// One captured send or publish, waiting to leave: either for a request scope (<see cref="OutboxId"/>, bus outbox)
/// or for a consumer (<see cref="InboxMessageId"/> + <see cref="InboxConsumerId"/>, consumer outbox).
/// Columns mirror MassTransit.EntityFrameworkCore's <c>OutboxMessage</c> name for name.
/// </summary>
public class OutboxMessage : OutboxMessageContext
{
    private Headers? headers;
    private Dictionary<string, object>? properties;

    public long SequenceNumber { get; set; }

    public DateTime SentTime { get; set; }

    /// <summary>The send context's headers as JSON.</summary>
    public string? Headers { get; set; }

    /// <summary>The transport send properties (durable, routing key, delay...) as JSON.</summary>
    public string? Properties { get; set; }

    public Guid? InboxMessageId { get; set; }
    public Guid? InboxConsumerId { get; set; }
    public Guid? OutboxId { get; set; }

    public Guid MessageId { get; set; }
    public string ContentType { get; set; } = "";

    /// <summary>The supported message type URNs, joined by ';'.</summary>
    public string MessageType { get; set; } = "";

    /// <summary>The serialized envelope as produced by the original send context's serializer.</summary>
    public string Body { get; set; } = "";

    public Guid? ConversationId { get; set; }
    public Guid? CorrelationId { get; set; }
    public Guid? InitiatorId { get; set; }
    public Guid? RequestId { get; set; }
    public Uri? SourceAddress { get; set; }
    public Uri? DestinationAddress { get; set; }
    public Uri? ResponseAddress { get; set; }
    public Uri? FaultAddress { get; set; }
    public DateTime? ExpirationTime { get; set; }

    Guid? MessageContext.MessageId => MessageId;
    DateTime? MessageContext.SentTime => SentTime;
    Headers MessageContext.Headers => headers ?? EmptyHeaders.Instance;
    HostInfo MessageContext.Host => HostMetadataCache.Host;
    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties =>
        properties ?? new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads the JSON columns back into headers and transport properties before the message is re-sent.</summary>
    public void Hydrate(IObjectDeserializer deserializer)
    {
        ArgumentNullException.ThrowIfNull(deserializer);
        headers = StoredSendContext.ReadHeaders(deserializer, Headers);
        properties = StoredSendContext.ReadProperties(deserializer, Properties);
    }

    /// <summary>
    /// A row from a send context that MassTransit built completely (ids, addresses, serializer, topology), so the
    /// later re-send through <see cref="OutboxMessageSendPipe"/> is the same message with the same MessageId.
    /// </summary>
    public static OutboxMessage FromSendContext<T>(SendContext<T> context, IObjectDeserializer deserializer, DateTime now)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(deserializer);
        // The delivery service sends each row as soon as its transaction commits: a delay would be lost without a word.
        if (context.Delay is { } delay && delay > TimeSpan.Zero)
            throw new NotSupportedException($"{typeof(T).Name}: a delayed send cannot go through the outbox; schedule it with the message scheduler.");
        var message = new OutboxMessage
        {
            MessageId = context.MessageId ?? throw new MessageException(typeof(T), "A MessageId is required to use the outbox."),
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress,
            DestinationAddress = context.DestinationAddress,
            ResponseAddress = context.ResponseAddress,
            FaultAddress = context.FaultAddress,
            SentTime = context.SentTime ?? now,
            ExpirationTime = context.TimeToLive is { } timeToLive ? now + timeToLive : null,
            ContentType = (context.ContentType ?? context.Serialization.DefaultContentType).ToString(),
            MessageType = string.Join(';', context.SupportedMessageTypes),
            Body = context.Serializer.GetMessageBody(context).GetString(),
            Headers = deserializer.SerializeDictionary(context.Headers.GetAll()),
        };

        if (context is TransportSendContext<T> transportContext)
        {
            var transportProperties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transportContext.WritePropertiesTo(transportProperties);
            message.Properties = deserializer.SerializeDictionary(transportProperties);
        }

        return message;
    }
}
