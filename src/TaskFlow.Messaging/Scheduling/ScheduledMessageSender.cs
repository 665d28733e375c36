using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>Sends a stored scheduled message as MassTransit's Quartz job would: same MessageId, headers, envelope and token.</summary>
internal sealed class ScheduledMessageSender : IDisposable
{
    private readonly IBus bus;
    private readonly TaskFlowSchedulerOptions options;
    private readonly Counter<long> sent;
    private readonly Meter? ownedMeter;

    public ScheduledMessageSender(IBus bus, TaskFlowSchedulerOptions options, IMeterFactory? meterFactory = null)
    {
        this.bus = bus;
        this.options = options;
        ownedMeter = meterFactory is null ? new Meter(OutboxMetrics.MeterName) : null;
        var meter = meterFactory?.Create(OutboxMetrics.MeterName) ?? ownedMeter!;
        sent = meter.CreateCounter<long>(SchedulerMetrics.Sent, "{message}", "Scheduled messages sent to the broker");
    }

    /// <summary>Returns once the broker confirmed the message.</summary>
    public async Task SendAsync(ScheduledMessage message, CancellationToken cancellationToken)
    {
        message.Hydrate(SystemTextJsonMessageSerializer.Instance, DateTime.UtcNow);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.MessageDeliveryTimeout);
        var endpoint = await bus.GetSendEndpoint(message.DestinationAddress);
        await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(message, message.DestinationAddress), timeout.Token);
        sent.Add(1);
    }

    public void Dispose() => ownedMeter?.Dispose();
}
