using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskFlow.Benchmarks;

/// <summary>One line of the results table: what was measured, what came out, and the target it is held to.</summary>
internal sealed record Row(string Scenario, string Measure, string Result, string? Target = null, bool? Met = null);

/// <summary>Everything a run measured, with the machine and versions it ran on; written as JSON and as a Markdown table.</summary>
internal sealed class Report(Machine machine)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A scenario that measured nothing divides by zero; its file is still written.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly Lock gate = new();

    public Machine Machine { get; } = machine;
    public List<Row> Rows { get; } = [];

    /// <summary>The raw figures behind the rows, per scenario: histograms' percentiles, counts, rates.</summary>
    public Dictionary<string, Dictionary<string, object>> Details { get; } = [];

    public TimeSpan Duration { get; set; }

    public void Add(Row row)
    {
        lock (gate)
            Rows.Add(row);
        Spectre.Console.AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{row.Scenario}[/] {row.Measure}: [bold]{row.Result}[/] {(row.Target is null ? "" : $"(target {row.Target}: {Mark(row.Met)})")}");
    }

    public void Detail(string scenario, string name, object value)
    {
        lock (gate)
        {
            if (!Details.TryGetValue(scenario, out var details))
                Details[scenario] = details = [];
            details[name] = value;
        }
    }

    public async Task<(string Json, string Markdown)> WriteAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, "results.json");
        var markdown = Path.Combine(folder, "results.md");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { machine = Machine, durationSeconds = Math.Round(Duration.TotalSeconds), rows = Rows, details = Details }, Json));
        await File.WriteAllTextAsync(markdown, ToMarkdown());
        return (json, markdown);
    }

    public string ToMarkdown()
    {
        var m = Machine;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {m.StartedAt:yyyy-MM-dd HH:mm} UTC, {Duration.TotalMinutes:F1} min, commit {m.Commit}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {m.Cores} cores ({m.Cpu}), {m.MemoryGiB:F0} GiB, {m.Os}; API, worker, PostgreSQL, RabbitMQ and the benchmark all on it.");
        var packages = string.Join(", ", m.Packages.Select(p => $"{p.Key} {p.Value}"));
        text.AppendLine(CultureInfo.InvariantCulture, $"Versions: .NET {m.Dotnet}, PostgreSQL {m.PostgreSql}, RabbitMQ {m.RabbitMq} (Erlang {m.Erlang}), {packages}.");
        text.AppendLine();
        text.AppendLine("| scenario | measure | result | target | |");
        text.AppendLine("|---|---|---:|---|:-:|");
        foreach (var row in Rows)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Scenario} | {row.Measure} | {row.Result} | {row.Target ?? ""} | {Mark(row.Met)} |");
        return text.ToString();
    }

    public static string Mark(bool? met) => met switch { true => "met", false => "**missed**", null => "" };
}
