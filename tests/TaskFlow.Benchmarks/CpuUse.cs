using System.Globalization;

namespace TaskFlow.Benchmarks;

/// <summary>CPU time the API and the worker used over a stretch of time, and how busy the whole machine was.</summary>
internal sealed class CpuUse
{
    private readonly TaskFlowSystem system;
    private readonly TimeSpan api;
    private readonly TimeSpan worker;
    private readonly (long Busy, long Total) machine;

    private CpuUse(TaskFlowSystem system)
    {
        this.system = system;
        api = ProcessTime(system.ApiPid);
        worker = WorkersTime(system);
        machine = MachineTicks();
    }

    public static CpuUse Start(TaskFlowSystem system) => new(system);

    public (TimeSpan Api, TimeSpan Worker, double MachineBusy) Stop()
    {
        var (busy, total) = MachineTicks();
        return (ProcessTime(system.ApiPid) - api, WorkersTime(system) - worker,
            (double)(busy - machine.Busy) / Math.Max(1, total - machine.Total));
    }

    /// <summary>All worker processes together: with several, the worker's CPU per operation is the sum of theirs.</summary>
    public static TimeSpan WorkersTime(TaskFlowSystem system) =>
        system.WorkerPids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcessTime(pid));

    // /proc/<pid>/stat: utime and stime are fields 14 and 15, in clock ticks (100 a second on Linux).
    public static TimeSpan ProcessTime(int pid) => Ticks(Fields(File.ReadAllText($"/proc/{pid}/stat")), children: false);

    private static IEnumerable<(int Pid, string Stat)> Stats(string name)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // It ended between the listing and the read.
            }
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            if (stat[(open + 1)..stat.LastIndexOf(')')] == name)
                yield return (pid, stat);
        }
    }

    /// <summary>
    /// CPU time of each process of that name (its `comm`) now, by process id: its own, and with the children it has
    /// reaped (cutime and cstime, fields 16 and 17), where a PostgreSQL backend that exits during a measurement leaves its time.
    /// </summary>
    public static Dictionary<int, (TimeSpan Own, TimeSpan WithChildren)> ProcessTimes(string name)
    {
        var times = new Dictionary<int, (TimeSpan, TimeSpan)>();
        foreach (var (pid, stat) in Stats(name))
        {
            var fields = Fields(stat);
            times[pid] = (Ticks(fields, children: false), Ticks(fields, children: true));
        }
        return times;
    }

    // The fields after the command name, which may itself hold spaces and parentheses; fields[0] is field 3 (state).
    private static string[] Fields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    private static TimeSpan Ticks(string[] fields, bool children)
    {
        var ticks = fields.Skip(11).Take(children ? 4 : 2).Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    // /proc/stat's first line: user nice system idle iowait irq softirq steal ...; idle and iowait are not busy.
    private static (long Busy, long Total) MachineTicks()
    {
        var values = File.ReadLines("/proc/stat").First()[3..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        return (total - values[3] - values[4], total);
    }
}
