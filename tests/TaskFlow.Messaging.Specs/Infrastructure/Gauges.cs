using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Outbox;

namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>Collects the messaging gauges of one host once, as a metrics reader would.</summary>
public static class Gauges
{
    public static Dictionary<string, double> Collect(SpecHost host)
    {
        var scope = host.Services.GetRequiredService<IMeterFactory>();
        var values = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OutboxMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }
}

/// <summary>A fake clock that remembers how long each timer created on it was set for (Task.Delay and timeouts make them).</summary>
public sealed class RecordingClock(DateTimeOffset start) : TimeProvider
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider fake = new(start);
    private readonly System.Collections.Concurrent.ConcurrentQueue<TimeSpan> timers = new();

    public IReadOnlyCollection<TimeSpan> Timers => timers;

    public void Advance(TimeSpan by) => fake.Advance(by);

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override long GetTimestamp() => fake.GetTimestamp();

    public override long TimestampFrequency => fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        timers.Enqueue(dueTime);
        return fake.CreateTimer(callback, state, dueTime, period);
    }
}
