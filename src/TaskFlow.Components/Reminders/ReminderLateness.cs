using System.Diagnostics.Metrics;
using TaskFlow.Components.Hosting;

namespace TaskFlow.Components.Reminders;

/// <summary>How late reminders went out, one histogram per host (a consumer is made per batch).</summary>
public sealed class ReminderLateness(IMeterFactory meterFactory)
{
    /// <summary>From on time to the minutes a burst of thousands in one second has taken (README, "Measuring").</summary>
    private static readonly double[] Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

    private readonly Histogram<double> lateness = TaskFlowTelemetry.CreateMeter(meterFactory).CreateHistogram(TaskFlowTelemetry.ReminderLateness, "s",
        "How long after its intended time a reminder was sent",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });

    public void Record(double seconds) => lateness.Record(seconds);
}
