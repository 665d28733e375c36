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
        worker = ProcessTime(system.WorkerPid);
        machine = MachineTicks();
    }

    public static CpuUse Start(TaskFlowSystem system) => new(system);

    public (TimeSpan Api, TimeSpan Worker, double MachineBusy) Stop()
    {
        var (busy, total) = MachineTicks();
        return (ProcessTime(system.ApiPid) - api, ProcessTime(system.WorkerPid) - worker,
            (double)(busy - machine.Busy) / Math.Max(1, total - machine.Total));
    }

    // /proc/<pid>/stat: utime and stime are fields 14 and 15, in clock ticks (100 a second on Linux).
    private static TimeSpan ProcessTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
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
