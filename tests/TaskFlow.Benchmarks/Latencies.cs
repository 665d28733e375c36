using System.Diagnostics;
using HdrHistogram;

namespace TaskFlow.Benchmarks;

/// <summary>
/// A latency distribution kept in an HdrHistogram (microseconds, three significant digits), safe to record into from
/// many tasks at once.
/// </summary>
internal sealed class Latencies
{
    private static readonly long Highest = (long)TimeSpan.FromMinutes(30).TotalMicroseconds;
    private readonly LongHistogram histogram = new(Highest, 3);
    private readonly Lock gate = new();

    public long Count
    {
        get
        {
            lock (gate)
                return histogram.TotalCount;
        }
    }

    public void Record(TimeSpan latency)
    {
        // Early arrivals (a reminder delivered before its second, by clocks read in two processes) count as on time:
        // the histogram holds no negative values and lateness is what is asked.
        var micros = Math.Clamp((long)latency.TotalMicroseconds, 0, Highest);
        lock (gate)
            histogram.RecordValue(micros);
    }

    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetElapsedTime(startTimestamp));

    public LatencySummary Summarize()
    {
        lock (gate)
        {
            if (histogram.TotalCount == 0)
                return new LatencySummary(0, 0, 0, 0, 0, 0);
            static double Ms(long micros) => micros / 1000.0;
            return new LatencySummary(
                histogram.TotalCount,
                Ms(histogram.GetValueAtPercentile(50)),
                Ms(histogram.GetValueAtPercentile(95)),
                Ms(histogram.GetValueAtPercentile(99)),
                Ms(histogram.GetMaxValue()),
                histogram.GetMean() / 1000.0);
        }
    }
}

/// <summary>Milliseconds.</summary>
internal sealed record LatencySummary(long Count, double P50, double P95, double P99, double Max, double Mean);
