using System.Diagnostics;
using Spectre.Console;

namespace TaskFlow.Benchmarks;

/// <summary>How a load went: requests that succeeded and failed, their latencies, and the time until the last answer.</summary>
internal sealed record LoadResult(int Succeeded, int Failed, LatencySummary Latency, TimeSpan Elapsed, int Dropped = 0)
{
    public double Rate => Succeeded / Elapsed.TotalSeconds;
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
    public static async Task<LoadResult> OpenLoopAsync(int rate, TimeSpan phase, ProgressTask step, Func<int, Task<bool>> send)
    {
        var count = (int)(rate * phase.TotalSeconds);
        step.MaxValue = count;
        var latencies = new Latencies();
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
        return new LoadResult(count - failed - dropped, failed, latencies.Summarize(), Stopwatch.GetElapsedTime(origin), dropped);

        async Task TimedAsync(int i)
        {
            var ok = await SafelyAsync(send, i);
            Interlocked.Decrement(ref waiting);
            if (ok)
                latencies.RecordSince(startedAt[i]);
            else
                Interlocked.Increment(ref failed);
            step.Increment(1);
        }
    }

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
                if (await SafelyAsync(send, i))
                    latencies.RecordSince(started);
                else
                    Interlocked.Increment(ref failed);
                answered();
            }
        }));
        var summary = latencies.Summarize();
        return new LoadResult((int)summary.Count, failed, summary, clock.Elapsed);
    }

    // A refused or timed-out request is a failed one, counted, not the end of the run.
    private static async Task<bool> SafelyAsync(Func<int, Task<bool>> send, int i)
    {
        try
        {
            return await send(i);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
