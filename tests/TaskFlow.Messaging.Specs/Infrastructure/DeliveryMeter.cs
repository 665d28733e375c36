using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Outbox;

namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>Listens to the delivery service's counters, per host (each host's IMeterFactory scopes its meters).</summary>
public sealed class DeliveryMeter : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(object? Scope, string Instrument), long> totals = new();

    public DeliveryMeter()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OutboxMetrics.MeterName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            totals.AddOrUpdate((instrument.Meter.Scope, instrument.Name), value, (_, total) => total + value));
        listener.Start();
    }

    public long Total(SpecHost host, string instrument) =>
        totals.GetValueOrDefault((host.Services.GetRequiredService<IMeterFactory>(), instrument));

    public void Dispose() => listener.Dispose();
}
