using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace TaskFlow.Benchmarks;

/// <summary>A host process's memory, read through /proc and its runtime's diagnostics port.</summary>
internal static class ProcessMemory
{
    /// <summary>
    /// Has the process collect its garbage, all generations and blocking, as dotnet-gcdump does: the bytes its heap
    /// holds after, which unlike its resident memory do not depend on how much free space the GC keeps committed.
    /// </summary>
    public static async Task<long> CollectGarbageAsync(int pid)
    {
        // A runtime collects when a session enables GCHeapCollect on its own provider; GC says when that is done.
        var keywords = ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect;
        using var session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync(
            [new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, (long)keywords)], requestRundown: false, token: CancellationToken.None);
        using var events = new EventPipeEventSource(session.EventStream);
        var blocking = false;
        var collected = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        events.Clr.GCStart += e => blocking = e.Depth == 2 && e.Type == GCType.NonConcurrentGC;
        events.Clr.GCHeapStats += e =>
        {
            if (blocking)
                collected.TrySetResult(e.TotalHeapSize);
        };
        var reading = Task.Run(events.Process);
        var heap = await collected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await session.StopAsync(CancellationToken.None);
        await reading;
        return heap;
    }

    public static long ResidentBytes(int pid) => Kibibytes($"/proc/{pid}/status", "VmRSS:");

    /// <summary>
    /// Resident memory with each shared page divided among the processes mapping it: the API and the worker map the
    /// same framework and package files, which their resident sizes each count whole.
    /// </summary>
    public static long ProportionalBytes(int pid) => Kibibytes($"/proc/{pid}/smaps_rollup", "Pss:");

    private static long Kibibytes(string file, string field)
    {
        var line = File.ReadLines(file).First(l => l.StartsWith(field, StringComparison.Ordinal));
        return 1024 * long.Parse(line[field.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Fails unless the process may hold <paramref name="sockets"/> more sockets beside what it has open.</summary>
    public static void RequireFileDescriptors(int pid, int sockets)
    {
        var limit = File.ReadLines($"/proc/{pid}/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = limit["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var needed = sockets + Directory.GetFiles($"/proc/{pid}/fd").Length + 100;
        if (soft != "unlimited" && long.Parse(soft, CultureInfo.InvariantCulture) < needed)
            throw new InvalidOperationException(
                $"pid {pid} may open {soft} files and needs about {needed}. The .NET runtime raises its soft limit to the hard one " +
                $"when it starts, so it is the hard limit that is short: run `ulimit -n {needed}` (as root) in the shell that starts it, then restart it");
    }
}
