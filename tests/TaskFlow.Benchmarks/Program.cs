using System.Diagnostics;
using System.Runtime.InteropServices;
using Spectre.Console;
using TaskFlow.Benchmarks;
using TaskFlow.Testing;

// Starts a TaskFlow of its own on 127.0.0.1 (fresh database and RabbitMQ virtual host, the API and the worker from
// the Release build), measures it next to this machine's own limits, writes results.json and results.md, and
// removes what it made. Every scenario bounds its count and its time. See the README, "Measuring".
var options = Options.Parse(args);
var startedAt = DateTimeOffset.UtcNow;
var folder = options.Output ?? Path.Combine(Repository.Root, ".taskflow", "bench", startedAt.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
var clock = Stopwatch.StartNew();

AnsiConsole.MarkupLine($"[bold]TaskFlow benchmark[/]: results and logs in [blue]{Markup.Escape(Path.GetRelativePath(Environment.CurrentDirectory, folder))}[/]");
var system = await AnsiConsole.Status().StartAsync("Starting TaskFlow", status =>
    TaskFlowSystem.StartAsync(Path.Combine(folder, "logs"), options.Workers, step => status.Status($"Starting TaskFlow: {step}")));
// Ctrl-C or a kill: the processes, database and virtual host it made go with it.
using var interrupted = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => system.DisposeAsync().AsTask().GetAwaiter().GetResult());
using var terminated = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => system.DisposeAsync().AsTask().GetAwaiter().GetResult());
await using (system)
{
    var report = new Report(await Machine.DescribeAsync(system, startedAt));
    using var http = User.Client(system.Api);
    AnsiConsole.MarkupLine($"TaskFlow up: API {system.Api} (pid {system.ApiPid}), worker {system.Worker} (pid {system.WorkerPid})");

    (string Name, Func<Bench, Task> Run)[] scenarios =
    [
        ("baseline", Baselines.RunAsync),
        ("memory", Memory.RunAsync),
        // Before the loads: what one change costs is read on a system no backlog of theirs still occupies.
        ("cost", Cost.RunAsync),
        ("creation", Creation.RunAsync),
        ("delivery", Delivery.RunAsync),
        ("recurrence", Recurrence.RunAsync),
        ("reminders", Reminders.RunAsync),
    ];
    // Redirected to a file, a progress display would be reprinted whole at every refresh: there the rows, printed as
    // each is measured, are the progress.
    await AnsiConsole.Progress()
        .AutoClear(false)
        .AutoRefresh(AnsiConsole.Profile.Capabilities.Interactive)
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
        .StartAsync(async progress =>
        {
            var bench = new Bench(options, system, report, http, progress);
            foreach (var (name, run) in scenarios.Where(s => options.Runs(s.Name)))
            {
                try
                {
                    await run(bench);
                }
                catch (Exception e)
                {
                    // One scenario's failure is a result too; the others still run and the file is still written.
                    report.Add(new Row(name, "failed", Markup.Escape(e.GetType().Name + ": " + e.Message), Met: false));
                }
            }
            if (options.Runs("memory"))
                await Memory.AfterRunAsync(bench);
        });

    if (options.Browser > 0)
        await BrowserLatency.RunAsync(system.Api, system.Database, options.Browser);

    report.Duration = clock.Elapsed;
    var (json, markdown) = await report.WriteAsync(folder);
    if (AnsiConsole.Profile.Capabilities.Interactive)
    {
        var table = new Table().AddColumns("scenario", "measure", "result", "target", "");
        foreach (var row in report.Rows)
            table.AddRow(Markup.Escape(row.Scenario), Markup.Escape(row.Measure), Markup.Escape(row.Result), Markup.Escape(row.Target ?? ""),
                row.Met switch { true => "[green]met[/]", false => "[red]missed[/]", null => "" });
        AnsiConsole.Write(table);
    }
    else
    {
        // A log or a pipe: the Markdown, whole lines that a narrow console would not wrap into a column each.
        Console.WriteLine(report.ToMarkdown());
    }
    AnsiConsole.MarkupLine($"{report.Machine.Cores} cores, {report.Machine.MemoryGiB:F0} GiB; {clock.Elapsed.TotalMinutes:F1} min. Written: {Markup.Escape(json)}, {Markup.Escape(markdown)}");
}
