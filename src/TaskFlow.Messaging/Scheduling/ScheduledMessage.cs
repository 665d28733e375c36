using MassTransit;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// One message waiting for its time, kept the way MassTransit's Quartz integration keeps it in a trigger's job data:
/// the serialized envelope and the context of the <c>ScheduleMessage</c> that asked for it. Stored by the scheduler
/// service, the envelope is the <c>ScheduleMessage</c>'s: its MessageId (which MassTransit's Quartz job gives the
/// scheduled message too), its headers (the sender's own among them) and transport properties, and a body built from
/// its envelope with the payload as the message; the message types are the payload's.
/// </summary>
public class ScheduledMessage : StoredMessage
{
    /// <summary>MassTransit's scheduling token (<c>ScheduleMessage.CorrelationId</c>): scheduling it again moves it, cancelling deletes it.</summary>
    public Guid TokenId { get; set; }

    public DateTime DueTime { get; set; }

    /// <summary>The start of the due-time bucket; one Quartz trigger per bucket sends its rows.</summary>
    public DateTime Bucket { get; set; }

    public DateTime Created { get; set; }

    /// <summary>Where it goes: always known for a scheduled message (its column is required), unlike an outbox row's.</summary>
    internal Uri Destination => DestinationAddress ?? throw new InvalidOperationException($"Scheduled message {TokenId} has no destination address.");

    protected override DateTime SentAt => Created;

    /// <summary>
    /// Reads the JSON columns back and adds what MassTransit's Quartz job adds when it fires: the scheduling token
    /// (state machines ignore a scheduled event whose token is not the instance's) and the scheduled time. Done
    /// before the due time, so that sending is all that is left when it comes.
    /// </summary>
    public override void Hydrate(IObjectDeserializer deserializer)
    {
        base.Hydrate(deserializer);
        HydratedHeaders.Set(MessageHeaders.SchedulingTokenId, TokenId.ToString("N"));
        HydratedHeaders.Set(MessageHeaders.Quartz.ScheduleId, TokenId.ToString("N"));
        HydratedHeaders.Set(MessageHeaders.Quartz.Scheduled, new DateTimeOffset(DueTime, TimeSpan.Zero));
    }

    /// <summary>
    /// A send context MassTransit built completely, to go out at its time: the same envelope an outbox row takes;
    /// token, due time and bucket are the caller's.
    /// </summary>
    public static ScheduledMessage FromSendContext<T>(SendContext<T> context, IObjectDeserializer deserializer, DateTime now)
        where T : class
    {
        var message = new ScheduledMessage { Created = now };
        message.Capture(context, deserializer, now);
        if (message.DestinationAddress is null)
            throw new MessageException(typeof(T), "A scheduled message needs a destination address.");
        return message;
    }

    /// <summary>A time as MassTransit's schedulers read it: local converted, unspecified taken as UTC.</summary>
    public static DateTime AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Local => time.ToUniversalTime(),
        DateTimeKind.Utc => time,
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    /// <summary>The moment it actually went out, as MassTransit's Quartz job records it (<c>MT-Quartz-Sent</c>).</summary>
    public void StampSent(DateTime sentTime) =>
        HydratedHeaders.Set(MessageHeaders.Quartz.Sent, new DateTimeOffset(sentTime, TimeSpan.Zero));
}
