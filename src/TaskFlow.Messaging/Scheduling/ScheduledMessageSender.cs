using System.Diagnostics.Metrics;
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
internal sealed class ScheduledMessageSender : IDisposable
{
    private readonly IBus bus;
    private readonly SemaphoreSlim window;
    private readonly TimeProvider clock;
    private readonly TaskFlowSchedulerOptions options;
    private readonly Counter<long> sent;
    private readonly Meter? ownedMeter;

    public ScheduledMessageSender(IBus bus, TaskFlowSchedulerOptions options, TimeProvider clock, IMeterFactory? meterFactory = null)
    {
        this.bus = bus;
        this.options = options;
        this.clock = clock;
        window = new SemaphoreSlim(options.SendWindow, options.SendWindow);
        ownedMeter = meterFactory is null ? new Meter(OutboxMetrics.MeterName) : null;
        var meter = meterFactory?.Create(OutboxMetrics.MeterName) ?? ownedMeter!;
        sent = meter.CreateCounter<long>(SchedulerMetrics.Sent, "{message}", "Scheduled messages sent to the broker");
    }

    /// <summary>Everything that can be done before the due time: headers and properties read, endpoint resolved.</summary>
    public async Task<ISendEndpoint> PrepareAsync(ScheduledMessage message)
    {
        message.Hydrate(SystemTextJsonMessageSerializer.Instance);
        return await bus.GetSendEndpoint(message.DestinationAddress);
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
            await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(message, message.DestinationAddress), timeout.Token);
        }
        finally
        {
            window.Release();
        }

        sent.Add(1);
    }

    public void Dispose()
    {
        window.Dispose();
        ownedMeter?.Dispose();
    }
}
