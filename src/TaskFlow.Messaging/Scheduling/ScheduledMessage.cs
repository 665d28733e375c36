using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// One message waiting for its time, kept the way MassTransit's Quartz integration keeps it in a trigger's job data:
/// the serialized envelope and the context of the <c>ScheduleMessage</c> that asked for it. Implements
/// <see cref="OutboxMessageContext"/> so MassTransit's own <see cref="OutboxMessageSendPipe"/> re-sends it.
/// </summary>
public class ScheduledMessage : OutboxMessageContext
{
    private Headers? headers;
    private Dictionary<string, object>? properties;

    /// <summary>MassTransit's scheduling token (<c>ScheduleMessage.CorrelationId</c>): scheduling it again moves it, cancelling deletes it.</summary>
    public Guid TokenId { get; set; }

    public DateTime DueTime { get; set; }

    /// <summary>The start of the due-time bucket; one Quartz trigger per bucket sends its rows.</summary>
    public DateTime Bucket { get; set; }

    public DateTime Created { get; set; }

    public Uri DestinationAddress { get; set; } = null!;

    /// <summary>The <c>ScheduleMessage</c>'s MessageId, which MassTransit's Quartz job gives the scheduled message too.</summary>
    public Guid MessageId { get; set; }

    public string ContentType { get; set; } = "";

    /// <summary>The payload's message type URNs, joined by ';'.</summary>
    public string MessageType { get; set; } = "";

    /// <summary>The envelope to send, built from the received <c>ScheduleMessage</c> envelope with the payload as its message.</summary>
    public string Body { get; set; } = "";

    /// <summary>The <c>ScheduleMessage</c>'s headers (the sender's own ones among them) as JSON.</summary>
    public string? Headers { get; set; }

    /// <summary>The transport properties the <c>ScheduleMessage</c> arrived with, as JSON.</summary>
    public string? Properties { get; set; }

    public Guid? ConversationId { get; set; }
    public Guid? CorrelationId { get; set; }
    public Guid? InitiatorId { get; set; }
    public Guid? RequestId { get; set; }
    public Uri? SourceAddress { get; set; }
    public Uri? ResponseAddress { get; set; }
    public Uri? FaultAddress { get; set; }
    public DateTime? ExpirationTime { get; set; }

    long OutboxMessageContext.SequenceNumber => 0;
    Guid? MessageContext.MessageId => MessageId;
    DateTime? MessageContext.SentTime => Created;
    Headers MessageContext.Headers => headers ?? EmptyHeaders.Instance;
    HostInfo MessageContext.Host => HostMetadataCache.Host;
    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties =>
        properties ?? new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the JSON columns back and adds what MassTransit's Quartz job adds when it fires: the scheduling token
    /// (state machines ignore a scheduled event whose token is not the instance's) and the scheduled time. Done
    /// before the due time, so that sending is all that is left when it comes.
    /// </summary>
    public void Hydrate(IObjectDeserializer deserializer)
    {
        ArgumentNullException.ThrowIfNull(deserializer);
        var sendHeaders = StoredSendContext.ReadHeaders(deserializer, Headers);
        sendHeaders.Set(MessageHeaders.SchedulingTokenId, TokenId.ToString("N"));
        sendHeaders.Set(MessageHeaders.Quartz.ScheduleId, TokenId.ToString("N"));
        sendHeaders.Set(MessageHeaders.Quartz.Scheduled, new DateTimeOffset(DueTime, TimeSpan.Zero));
        headers = sendHeaders;

        properties = StoredSendContext.ReadProperties(deserializer, Properties);
    }

    /// <summary>
    /// A send context MassTransit built completely, to go out at its time: the same columns an outbox row takes
    /// (<see cref="OutboxMessage.FromSendContext{T}"/>); token, due time and bucket are the caller's.
    /// </summary>
    public static ScheduledMessage FromSendContext<T>(SendContext<T> context, IObjectDeserializer deserializer, DateTime now)
        where T : class
    {
        var sent = OutboxMessage.FromSendContext(context, deserializer, now);
        return new ScheduledMessage
        {
            Created = now,
            DestinationAddress = sent.DestinationAddress ?? throw new MessageException(typeof(T), "A scheduled message needs a destination address."),
            MessageId = sent.MessageId,
            ContentType = sent.ContentType,
            MessageType = sent.MessageType,
            Body = sent.Body,
            Headers = sent.Headers,
            Properties = sent.Properties,
            ConversationId = sent.ConversationId,
            CorrelationId = sent.CorrelationId,
            InitiatorId = sent.InitiatorId,
            RequestId = sent.RequestId,
            SourceAddress = sent.SourceAddress,
            ResponseAddress = sent.ResponseAddress,
            FaultAddress = sent.FaultAddress,
            ExpirationTime = sent.ExpirationTime,
        };
    }

    /// <summary>A time as MassTransit's schedulers read it: local converted, unspecified taken as UTC.</summary>
    public static DateTime AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Local => time.ToUniversalTime(),
        DateTimeKind.Utc => time,
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    /// <summary>The moment it actually went out, as MassTransit's Quartz job records it (<c>MT-Quartz-Sent</c>).</summary>
    public void StampSent(DateTime sentTime)
    {
        if (headers is not SendHeaders sendHeaders)
            throw new InvalidOperationException("Hydrate the message before sending it.");
        sendHeaders.Set(MessageHeaders.Quartz.Sent, new DateTimeOffset(sentTime, TimeSpan.Zero));
    }
}
