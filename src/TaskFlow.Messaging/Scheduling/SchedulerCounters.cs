using System.Diagnostics.Metrics;
using TaskFlow.Messaging.Outbox;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>The scheduler's counters, one set per host (its consumers are made per message).</summary>
internal sealed class SchedulerCounters : IDisposable
{
    private readonly Counter<long> scheduled;
    private readonly Counter<long> sent;
    private readonly Meter? ownedMeter;

    public SchedulerCounters(IMeterFactory? meterFactory = null)
    {
        ownedMeter = meterFactory is null ? new Meter(OutboxMetrics.MeterName) : null;
        var meter = meterFactory?.Create(OutboxMetrics.MeterName) ?? ownedMeter!;
        scheduled = meter.CreateCounter<long>(SchedulerMetrics.Scheduled, "{message}", "Messages stored to be sent at a later time");
        sent = meter.CreateCounter<long>(SchedulerMetrics.Sent, "{message}", "Scheduled messages sent to the broker");
    }

    public void Scheduled(int count) => scheduled.Add(count);

    public void Sent() => sent.Add(1);

    public void Dispose() => ownedMeter?.Dispose();
}
