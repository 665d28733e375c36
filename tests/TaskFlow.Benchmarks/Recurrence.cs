using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace TaskFlow.Benchmarks;

/// <summary>
/// Completion → next occurrence, as its owner sees it: tasks repeating from completion, completed one at a time, each
/// timed from the start of the complete request to the occurrence.created notification at the owner's SignalR client.
/// </summary>
internal static class Recurrence
{
    private const string Scenario = "recurrence";
    private const string Prefix = "repeat ";
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Straggler = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(Bench bench)
    {
        var count = bench.Options.Completions;
        var user = await User.SignUpAsync(bench.Http);
        var arrivals = new ConcurrentDictionary<string, Arrival>(StringComparer.Ordinal);
        await using var listener = await Listener.ConnectAsync(bench.System.Api, user, arrival =>
        {
            if (arrival.Kind == "occurrence.created")
                arrivals.TryAdd(arrival.Title, arrival);
        });

        var step = bench.Step($"Recurrence: {count} completions, each after the previous one's next occurrence arrived", count);
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await user.CreateTaskAsync(bench.Http, new
            {
                title = $"{Prefix}{i}",
                due = new { dateTime = "2431-05-06T09:00", timeZone = "UTC" },
                recurrence = "daily",
                recurrenceMode = "completion",
            });
        }

        // One at a time: the latency a user sees, not a backlog's.
        var latencies = new Latencies();
        var missing = 0;
        for (var i = 0; i < count; i++)
        {
            var title = $"{Prefix}{i}";
            var started = Stopwatch.GetTimestamp();
            using (var completed = await user.SendAsync(bench.Http, HttpMethod.Post, $"api/v1/tasks/{ids[i]}/complete"))
                completed.EnsureSuccessStatusCode();
            if (await Bench.WaitUntilAsync(() => arrivals.ContainsKey(title), Straggler))
                latencies.Record(Stopwatch.GetElapsedTime(started, arrivals[title].Timestamp));
            else
                missing++;
            step.Increment(1);
        }

        var summary = latencies.Summarize();
        bench.Report.Add(new Row(Scenario, $"complete → next occurrence at the owner's SignalR client, {count} completions one at a time",
            string.Create(CultureInfo.InvariantCulture, $"p50 {summary.P50:F1} / p99 {summary.P99:F1} / max {summary.Max:F1} ms{(missing > 0 ? $"; {missing} never arrived" : "")}"),
            $"< {Target.TotalSeconds:F0} s (every one)", missing == 0 && summary.Max < Target.TotalMilliseconds));
        bench.Report.Detail(Scenario, "completions", new { count, missing, latencyMs = summary });
        step.Description = $"Recurrence: p50 {summary.P50:F1} ms, max {summary.Max:F1} ms";
    }
}
