using System.Globalization;

namespace TaskFlow.Benchmarks;

/// <summary>What to run and how much of it; every count and duration is bounded, so a run stops by itself.</summary>
internal sealed record Options
{
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    public TimeSpan BaselineDuration { get; init; } = TimeSpan.FromSeconds(8);
    public TimeSpan CreationPhase { get; init; } = TimeSpan.FromSeconds(10);
    public int Clients { get; init; } = 16;
    public int EventRate { get; init; } = 200;
    public TimeSpan EventPhase { get; init; } = TimeSpan.FromSeconds(10);
    public int Reminders { get; init; } = 10_000;
    public int ReminderUsers { get; init; } = 50;
    public TimeSpan ReminderLead { get; init; } = TimeSpan.FromSeconds(60);
    public int Completions { get; init; } = 100;
    public int CostOperations { get; init; } = 400;
    public int Connections { get; init; } = 5_000;
    public int ConnectionUsers { get; init; } = 50;
    public int Browser { get; init; }

    /// <summary>Worker processes side by side (scale-out: the scheduler's due seconds are split between them).</summary>
    public int Workers { get; init; } = 1;
    public string? Output { get; init; }

    public bool Runs(string scenario) => Only.Count == 0 || Only.Contains(scenario);

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Count() => int.Parse(Value(), CultureInfo.InvariantCulture);
            TimeSpan Seconds() => TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture));
            options = args[i] switch
            {
                "--only" => options with { Only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase) },
                "--baseline-seconds" => options with { BaselineDuration = Seconds() },
                "--creation-seconds" => options with { CreationPhase = Seconds() },
                "--clients" => options with { Clients = Count() },
                "--event-rate" => options with { EventRate = Count() },
                "--event-seconds" => options with { EventPhase = Seconds() },
                "--reminders" => options with { Reminders = Count() },
                "--reminder-users" => options with { ReminderUsers = Count() },
                "--reminder-lead" => options with { ReminderLead = Seconds() },
                "--completions" => options with { Completions = Count() },
                "--cost-operations" => options with { CostOperations = Count() },
                "--connections" => options with { Connections = Count() },
                "--connection-users" => options with { ConnectionUsers = Count() },
                "--browser" => options with { Browser = Count() },
                "--workers" => options with { Workers = Math.Max(1, Count()) },
                "--output" => options with { Output = Value() },
                _ => throw new ArgumentException($"unknown option {args[i]}; the README (Measuring) lists them"),
            };
        }
        return options;
    }
}
