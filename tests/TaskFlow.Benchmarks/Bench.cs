using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Spectre.Console;

namespace TaskFlow.Benchmarks;

/// <summary>What every scenario works with: the system under test, the report, the progress display.</summary>
internal sealed class Bench(Options options, TaskFlowSystem system, Report report, HttpClient http, ProgressContext progress)
{
    public Options Options { get; } = options;
    public TaskFlowSystem System { get; } = system;
    public Report Report { get; } = report;
    public HttpClient Http { get; } = http;

    /// <summary>Raw PostgreSQL transactions a second, task row plus outbox row, from the baseline of this run.</summary>
    public double? PostgresBaseline { get; set; }

    public ProgressTask Step(string description, double maxValue) => progress.AddTask(Markup.Escape(description), maxValue: maxValue);

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(System.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a count until it reaches <paramref name="expected"/> or the deadline passes; the last count read.</summary>
    public async Task<long> WaitForCountAsync(string sql, long expected, TimeSpan within, ProgressTask? step = null, params (string Name, object Value)[] parameters)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var count = await CountAsync(sql, parameters);
            if (step is not null)
                step.Value = Math.Min(count, step.MaxValue);
            if (count >= expected || deadline.Elapsed >= within)
                return count;
            await Task.Delay(100);
        }
    }

    /// <summary>Reads a count until it is zero or the deadline passes; whether it got there.</summary>
    public async Task<bool> WaitForNoneAsync(string sql, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (await CountAsync(sql) > 0)
        {
            if (deadline.Elapsed >= within)
                return false;
            await Task.Delay(50);
        }
        return true;
    }

    /// <summary>Waits, at most <paramref name="within"/>, until <paramref name="done"/> says so; whether it did.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> done, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (!done())
        {
            if (deadline.Elapsed >= within)
                return false;
            await Task.Delay(20);
        }
        return true;
    }
}
