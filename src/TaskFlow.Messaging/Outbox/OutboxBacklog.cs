using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// What waits in the outbox: a backlog that keeps growing, or an oldest message that keeps ageing, is a delivery that
/// stopped; a parked message waits for an operator. The figures are the database's, so every instance reports the same
/// ones. The delivery service reads them every few seconds (and after it parks a state); the gauges only hand out the
/// last reading, since a metrics reader calls them on its own thread, under its own lock, and must not wait for a query.
/// </summary>
internal sealed class OutboxBacklog<TDbContext> : IDisposable
    where TDbContext : DbContext
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long after a collection the readings go on: longer than the usual export interval (60 s), so a reader that
    /// collects keeps seeing figures at most <see cref="RefreshInterval"/> old, while a host nobody collects from (no
    /// metrics exporter, the default) does not query every few seconds for nothing.
    /// </summary>
    private static readonly TimeSpan ReaderGoneAfter = TimeSpan.FromMinutes(3);

    private readonly IServiceScopeFactory scopeFactory;
    private readonly TimeProvider clock;
    private readonly SemaphoreSlim changed = new(0, 1);
    private volatile Reading? last;
    private volatile bool readNow;
    private long lastCollected;

    public OutboxBacklog(Meter meter, IServiceScopeFactory scopeFactory, TimeProvider clock)
    {
        this.scopeFactory = scopeFactory;
        this.clock = clock;
        meter.CreateObservableGauge(OutboxMetrics.Backlog, () => Measure(r => r.Count), "{message}",
            "Messages stored in the outbox and not yet sent, parked ones apart");
        meter.CreateObservableGauge(OutboxMetrics.OldestAge, () => Measure(OldestAge), "s",
            "Age of the oldest message not yet sent, parked ones apart");
        meter.CreateObservableGauge(OutboxMetrics.Parked, () => Measure(r => r.Parked), "{message}",
            "Messages the delivery service gave up sending, waiting for an operator");
    }

    /// <summary>Something changed that an operator should see soon (a state was parked): read again now.</summary>
    public void Changed()
    {
        readNow = true;
        try
        {
            changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A reading is already asked for.
        }
    }

    public async Task KeepFreshAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (last is null || readNow || clock.GetUtcNow().UtcTicks - Interlocked.Read(ref lastCollected) < ReaderGoneAfter.Ticks)
                {
                    readNow = false;
                    last = await ReadAsync(stoppingToken);
                }
                using var interval = new CancellationTokenSource(RefreshInterval, clock);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, interval.Token);
                await changed.WaitAsync(wait.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    public void Dispose() => changed.Dispose();

    private IEnumerable<Measurement<double>> Measure(Func<Reading, double> value)
    {
        Interlocked.Exchange(ref lastCollected, clock.GetUtcNow().UtcTicks);
        return last is { } reading ? [new Measurement<double>(value(reading))] : [];
    }

    private double OldestAge(Reading reading) =>
        reading.OldestSent is { } sent ? Math.Max(0, (clock.GetUtcNow().UtcDateTime - sent).TotalSeconds) : 0;

    /// <summary>Nothing when the database cannot be read: a missing point says more than a zero would.</summary>
    private async Task<Reading?> ReadAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            var sql = ModelStatements.For<BacklogStatement>(db).Sql;
            await db.Database.OpenConnectionAsync(stoppingToken);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(stoppingToken);
            await reader.ReadAsync(stoppingToken);
            return new Reading(reader.GetInt64(0), await reader.IsDBNullAsync(1, stoppingToken) ? null : reader.GetDateTime(1), reader.GetInt64(2));
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }

    private sealed record Reading(long Count, DateTime? OldestSent, long Parked);
}
