using System.Diagnostics;
using System.Globalization;
using System.Net;
using Spectre.Console;

namespace TaskFlow.Benchmarks;

/// <summary>
/// How a load went: requests that succeeded and failed, their latencies, and the time until the last answer; in an open
/// loop also those the API refused for overload (503 with Retry-After, apart from failures) and how fast it refused.
/// </summary>
internal sealed record LoadResult(int Succeeded, int Failed, LatencySummary Latency, TimeSpan Elapsed, int Dropped = 0, int Refused = 0, LatencySummary? Refusals = null)
{
    public double Rate => Succeeded / Elapsed.TotalSeconds;

    /// <summary>What went other than answered, for a results row: "" when nothing did.</summary>
    public string Outcomes() =>
        (Refused == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"; {Refused:N0} refused with 503 in p50 {Refusals?.P50:F1} / p99 {Refusals?.P99:F1} ms"))
        + (Failed == 0 ? "" : $"; {Failed:N0} failed")
        + (Dropped == 0 ? "" : $"; {Dropped:N0} dropped with {Load.InFlight} unanswered");
}

/// <summary>How the API answered one request of a load.</summary>
internal enum Outcome
{
    Succeeded,
    /// <summary>503 with Retry-After and a problem body: the API at capacity, saying so at once.</summary>
    Refused,
    Failed,
}

/// <summary>Drives requests at the API in the two ways load arrives: at a fixed rate, or as fast as answers come.</summary>
internal static class Load
{
    public const int InFlight = 256;

    /// <summary>
    /// Open loop: request i starts at i / rate seconds whether or not earlier ones were answered, and its latency is
    /// counted from that intended start, so a stall is charged to every request it delayed (no coordinated omission).
    /// At most <see cref="InFlight"/> wait for answers at once, as a proxy in front of the API would allow: beyond
    /// that a request is dropped and counted, rather than piling thousands of connections onto a saturated API.
    /// </summary>
    public static async Task<LoadResult> OpenLoopAsync(int rate, TimeSpan phase, ProgressTask step, Func<int, Task<Outcome>> send)
    {
        var count = (int)(rate * phase.TotalSeconds);
        step.MaxValue = count;
        var latencies = new Latencies();
        var refusals = new Latencies();
        var startedAt = new long[count];
        var failed = 0;
        var dropped = 0;
        var waiting = 0;
        var requests = new List<Task>(count);
        var origin = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - Stopwatch.GetElapsedTime(origin);
            if (wait > TimeSpan.FromMilliseconds(1))
                await Task.Delay(wait);
            startedAt[i] = origin + (long)(due.TotalSeconds * Stopwatch.Frequency);
            if (Volatile.Read(ref waiting) >= InFlight)
            {
                dropped++;
                step.Increment(1);
                continue;
            }
            Interlocked.Increment(ref waiting);
            requests.Add(TimedAsync(i));
        }
        await Task.WhenAll(requests);
        var refused = (int)refusals.Count;
        return new LoadResult(count - failed - dropped - refused, failed, latencies.Summarize(), Stopwatch.GetElapsedTime(origin), dropped, refused, refusals.Summarize());

        async Task TimedAsync(int i)
        {
            var outcome = await SafelyAsync(send, i, Outcome.Failed);
            Interlocked.Decrement(ref waiting);
            switch (outcome)
            {
                case Outcome.Succeeded:
                    latencies.RecordSince(startedAt[i]);
                    break;
                case Outcome.Refused:
                    refusals.RecordSince(startedAt[i]);
                    break;
                default:
                    Interlocked.Increment(ref failed);
                    break;
            }
            step.Increment(1);
        }
    }

    /// <summary>A 2xx succeeded; a 503 with Retry-After and a problem body was refused; anything else failed.</summary>
    public static Outcome Classify(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? Outcome.Succeeded
        : response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null
            && response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? Outcome.Refused
        : Outcome.Failed;

    /// <summary>Closed loop: <paramref name="clients"/> clients, each sending its next request when the last is answered.</summary>
    public static Task<LoadResult> ClosedLoopAsync(int clients, TimeSpan phase, ProgressTask step, Func<int, Task<bool>> send)
    {
        step.MaxValue = phase.TotalSeconds;
        var clock = Stopwatch.StartNew();
        return ClosedAsync(clients, _ => clock.Elapsed < phase, () => step.Value = Math.Min(clock.Elapsed.TotalSeconds, phase.TotalSeconds), send);
    }

    /// <summary>Closed loop until <paramref name="count"/> requests were sent.</summary>
    public static Task<LoadResult> ClosedLoopAsync(int clients, int count, ProgressTask step, Func<int, Task<bool>> send)
    {
        step.MaxValue = count;
        return ClosedAsync(clients, i => i < count, () => step.Increment(1), send);
    }

    private static async Task<LoadResult> ClosedAsync(int clients, Func<int, bool> more, Action answered, Func<int, Task<bool>> send)
    {
        var latencies = new Latencies();
        var failed = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); more(i); i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                if (await SafelyAsync(send, i, false))
                    latencies.RecordSince(started);
                else
                    Interlocked.Increment(ref failed);
                answered();
            }
        }));
        var summary = latencies.Summarize();
        return new LoadResult((int)summary.Count, failed, summary, clock.Elapsed);
    }

    // A connection refused or a timed-out request is a failed one, counted, not the end of the run.
    private static async Task<T> SafelyAsync<T>(Func<int, Task<T>> send, int i, T failed)
    {
        try
        {
            return await send(i);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return failed;
        }
    }
}
