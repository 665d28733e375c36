using System.Diagnostics;
using MassTransit;
using MassTransit.Logging;
using TaskFlow.Messaging.Outbox;

namespace TaskFlow.Messaging;

/// <summary>
/// The library's spans. A stored message (outbox row, scheduled message) keeps the trace it was stored in through
/// MassTransit's <c>MT-Activity-Id</c> header; re-sending it opens a span under that context, so MassTransit's send
/// span, and the consumers' spans after it, continue the trace of the request or consume that stored it, however
/// long the row waited and whichever process sends it.
/// </summary>
public static class MessagingTelemetry
{
    /// <summary>The ActivitySource's name, the same as the library's meter.</summary>
    public const string SourceName = OutboxMetrics.MeterName;

    /// <summary>Span: the outbox delivery service sending one committed row.</summary>
    public const string OutboxDeliver = "outbox deliver";

    /// <summary>Span: the scheduler sending one message at its due time.</summary>
    public const string ScheduledSend = "scheduler send";

    private static readonly ActivitySource Source = new(SourceName);

    internal static Activity? StartResend(string name, MessageContext message, Uri destination)
    {
        var activity = Source.StartActivity(name, ActivityKind.Internal, StoredContext(message.Headers));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(DiagnosticHeaders.Messaging.Operation, "send");
            activity.SetTag(DiagnosticHeaders.DestinationAddress, destination.ToString());
            if (message.MessageId is { } messageId)
                activity.SetTag(DiagnosticHeaders.MessageId, messageId.ToString("D"));
        }

        return activity;
    }

    /// <summary>The context of the span the message was stored under: MassTransit writes it as a W3C traceparent.</summary>
    internal static ActivityContext StoredContext(Headers headers) =>
        headers.Get<string>(DiagnosticHeaders.ActivityId) is { } id && ActivityContext.TryParse(id, null, isRemote: true, out var context)
            ? context
            : default;

    /// <summary>The span a message is being stored under, to be kept with it as MassTransit keeps it on a send.</summary>
    internal static void KeepCurrent(IDictionary<string, object> headers)
    {
        if (Activity.Current?.Id is { } id && Activity.Current.IdFormat == ActivityIdFormat.W3C)
            headers[DiagnosticHeaders.ActivityId] = id;
    }
}
