using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// Sends a stored scheduled message as MassTransit's Quartz job would: same MessageId, headers, envelope and token.
/// The sends of all buckets share one window of unconfirmed messages: enough outstanding to keep the broker's confirms
/// pipelined (one at a time is ~1,300/s, a window of hundreds ~10,000/s on a 2-core machine), few enough that a burst
/// of ten thousand does not queue them all inside the client at once.
/// </summary>
internal sealed class ScheduledMessageSender(IBus bus, TaskFlowSchedulerOptions options, TimeProvider clock, SchedulerCounters counters) : IDisposable
{
    private readonly SemaphoreSlim window = new(options.SendWindow, options.SendWindow);

    /// <summary>Everything that can be done before the due time: headers and properties read, endpoint resolved.</summary>
    public async Task<ISendEndpoint> PrepareAsync(ScheduledMessage message)
    {
        message.Hydrate(SystemTextJsonMessageSerializer.Instance);
        return await bus.GetSendEndpoint(message.Destination);
    }

    /// <summary>Returns once the broker confirmed the message.</summary>
    public async Task SendAsync(ScheduledMessage message, ISendEndpoint endpoint, CancellationToken cancellationToken)
    {
        await window.WaitAsync(cancellationToken);
        try
        {
            message.StampSent(clock.GetUtcNow().UtcDateTime);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.MessageDeliveryTimeout);
            using var activity = MessagingTelemetry.StartResend(MessagingTelemetry.ScheduledSend, message, message.Destination);
            await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(message, message.Destination), timeout.Token);
        }
        finally
        {
            window.Release();
        }

        counters.Sent();
    }

    public void Dispose() => window.Dispose();
}
