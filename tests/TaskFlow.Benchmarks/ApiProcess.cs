using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace TaskFlow.Benchmarks;

/// <summary>The API's process on this machine, read through /proc: found as the listener of the API's port.</summary>
internal static class ApiProcess
{
    // The port, not .taskflow/pids: the system may have been started from another checkout than this one.
    public static int Find(Uri api)
    {
        if (Environment.GetEnvironmentVariable("TASKFLOW_API_PID") is { Length: > 0 } given)
            return int.Parse(given, CultureInfo.InvariantCulture);
        var sockets = ListeningSockets(api.Port);
        var pids = new HashSet<int>();
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                if (new DirectoryInfo(Path.Combine(process, "fd")).EnumerateFileSystemInfos().Any(fd => fd.LinkTarget is { } target && sockets.Contains(target)))
                    pids.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's process: not ours to read.
            }
        }
        if (pids.Count != 1)
            throw new InvalidOperationException($"{pids.Count} processes listen on port {api.Port} as far as this user can see; set TASKFLOW_API_PID to the API's pid");
        var found = pids.Single();
        var command = File.ReadAllText($"/proc/{found}/cmdline").Replace('\0', ' ');
        if (!command.Contains("TaskFlow.Api", StringComparison.Ordinal))
            throw new InvalidOperationException($"port {api.Port} is held by pid {found} ({command.Trim()}), not TaskFlow.Api (a container's proxy?); set TASKFLOW_API_PID to the API's pid");
        return found;
    }

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

    public static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return 1024 * long.Parse(line["VmRSS:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
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

    // /proc/net/tcp{,6}: local_address is HEXADDRESS:HEXPORT, state 0A is LISTEN, the tenth field the socket's inode.
    private static HashSet<string> ListeningSockets(int port)
    {
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1];
                if (fields[3] == "0A" && int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                    sockets.Add($"socket:[{fields[9]}]");
            }
        }
        return sockets;
    }
}
