using Npgsql;

namespace TaskFlow.Benchmarks;

/// <summary>Samples the outbox's undelivered messages while a load runs: a backlog that keeps growing means delivery falls behind.</summary>
internal sealed class Backlog : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly CancellationTokenSource stop = new();
    private readonly Task<long> sampling;

    private Backlog(Bench bench) => sampling = SampleAsync(bench.System.Database, stop.Token);

    public static Backlog Watch(Bench bench) => new(bench);

    /// <summary>The largest backlog seen.</summary>
    public async Task<long> StopAsync()
    {
        await stop.CancelAsync();
        return await sampling;
    }

    public void Dispose() => stop.Dispose();

    private static async Task<long> SampleAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(CancellationToken.None);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM outbox_message WHERE outbox_id IS NOT NULL", connection);
        var largest = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            largest = Math.Max(largest, (long)(await count.ExecuteScalarAsync(CancellationToken.None))!);
            try
            {
                await Task.Delay(Interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return largest;
    }
}
