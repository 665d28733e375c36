using MassTransit;
using MassTransit.Context;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace TaskFlow.Messaging.Storage;

/// <summary>
/// The envelope of a send kept in a table until it goes out, as the outbox's rows and the scheduler's both keep it
/// (columns named as in MassTransit.EntityFrameworkCore's <c>OutboxMessage</c>). Implements
/// <see cref="OutboxMessageContext"/> so MassTransit's own <see cref="OutboxMessageSendPipe"/> re-sends it.
/// </summary>
public abstract class StoredMessage : OutboxMessageContext
{
    private DictionarySendHeaders? headers;
    private Dictionary<string, object>? properties;

    public Guid MessageId { get; set; }
    public string ContentType { get; set; } = "";

    /// <summary>The supported message type URNs, joined by ';'.</summary>
    public string MessageType { get; set; } = "";

    /// <summary>The serialized envelope as produced by the original send context's serializer.</summary>
    public string Body { get; set; } = "";

    /// <summary>The send context's headers as JSON.</summary>
    public string? Headers { get; set; }

    /// <summary>The transport send properties (durable, routing key, delay...) as JSON.</summary>
    public string? Properties { get; set; }

    public Guid? ConversationId { get; set; }
    public Guid? CorrelationId { get; set; }
    public Guid? InitiatorId { get; set; }
    public Guid? RequestId { get; set; }
    public Uri? SourceAddress { get; set; }
    public Uri? DestinationAddress { get; set; }
    public Uri? ResponseAddress { get; set; }
    public Uri? FaultAddress { get; set; }
    public DateTime? ExpirationTime { get; set; }

    /// <summary>The time MassTransit reads as the message's SentTime.</summary>
    protected abstract DateTime SentAt { get; }

    /// <summary>The order MassTransit's outbox pipe records as delivered; none for a message that is not a consumer's.</summary>
    protected virtual long Sequence => 0;

    /// <summary>The headers read back by <see cref="Hydrate"/>, to which a re-send may add its own.</summary>
    protected SendHeaders HydratedHeaders => headers ?? throw new InvalidOperationException("Hydrate the message before sending it.");

    long OutboxMessageContext.SequenceNumber => Sequence;
    Guid? MessageContext.MessageId => MessageId;
    DateTime? MessageContext.SentTime => SentAt;
    Headers MessageContext.Headers => headers ?? (Headers)EmptyHeaders.Instance;
    HostInfo MessageContext.Host => HostMetadataCache.Host;
    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties =>
        properties ?? new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads the JSON columns back into headers and transport properties before the message is re-sent.</summary>
    public virtual void Hydrate(IObjectDeserializer deserializer)
    {
        ArgumentNullException.ThrowIfNull(deserializer);
        headers = deserializer.DeserializeDictionary<object?>(Headers) is { } stored ? new DictionarySendHeaders(stored) : new DictionarySendHeaders();
        properties = deserializer.DeserializeDictionary<object>(Properties) is { } storedProperties
            ? new Dictionary<string, object>(storedProperties, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Takes the envelope of a send context MassTransit built completely (ids, addresses, serializer, topology), so the
    /// later re-send through <see cref="OutboxMessageSendPipe"/> is the same message with the same MessageId.
    /// </summary>
    protected void Capture<T>(SendContext<T> context, IObjectDeserializer deserializer, DateTime now)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(deserializer);
        // A stored message is sent as soon as its row is read: a delay would be lost without a word.
        if (context.Delay is { } delay && delay > TimeSpan.Zero)
            throw new NotSupportedException($"{typeof(T).Name}: a delayed send cannot go through the outbox; schedule it with the message scheduler.");
        MessageId = context.MessageId ?? throw new MessageException(typeof(T), "A MessageId is required to use the outbox.");
        ConversationId = context.ConversationId;
        CorrelationId = context.CorrelationId;
        InitiatorId = context.InitiatorId;
        RequestId = context.RequestId;
        SourceAddress = context.SourceAddress;
        DestinationAddress = context.DestinationAddress;
        ResponseAddress = context.ResponseAddress;
        FaultAddress = context.FaultAddress;
        ExpirationTime = context.TimeToLive is { } timeToLive ? now + timeToLive : null;
        ContentType = (context.ContentType ?? context.Serialization.DefaultContentType).ToString();
        MessageType = string.Join(';', context.SupportedMessageTypes);
        Body = context.Serializer.GetMessageBody(context).GetString();
        Headers = deserializer.SerializeDictionary(context.Headers.GetAll());
        if (context is TransportSendContext<T> transportContext)
        {
            var transportProperties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transportContext.WritePropertiesTo(transportProperties);
            Properties = deserializer.SerializeDictionary(transportProperties);
        }
    }
}
