using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// What waits in the outbox, read from the database only when a metrics reader collects (every minute or so, not per
/// message): a backlog that keeps growing, or an oldest message that keeps ageing, is a delivery that stopped. The
/// figure is the database's, so every instance reports the same one.
/// </summary>
internal sealed class OutboxBacklog<TDbContext>
    where TDbContext : DbContext
{
    /// <summary>Both gauges are collected together: one query answers them.</summary>
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(1);

    private readonly IServiceScopeFactory scopeFactory;
    private readonly Lock sync = new();
    private Reading? last;

    public OutboxBacklog(Meter meter, IServiceScopeFactory scopeFactory)
    {
        this.scopeFactory = scopeFactory;
        meter.CreateObservableGauge(OutboxMetrics.Backlog, () => Measure(r => r.Count), "{message}",
            "Messages stored in the outbox and not yet sent");
        meter.CreateObservableGauge(OutboxMetrics.OldestAge, () => Measure(r => r.OldestAge), "s",
            "Age of the oldest message not yet sent");
    }

    private IEnumerable<Measurement<double>> Measure(Func<Reading, double> value) =>
        Read() is { } reading ? [new Measurement<double>(value(reading))] : [];

    /// <summary>Nothing when the database cannot be read: a missing point says more than a zero would.</summary>
    private Reading? Read()
    {
        lock (sync)
        {
            if (last is { } recent && DateTime.UtcNow - recent.At < Reuse)
                return recent;
            try
            {
                using var scope = scopeFactory.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                var message = OutboxTables.For(db).OutboxMessage;
                var sent = message.Column(m => m.SentTime);
                db.Database.OpenConnection();
                using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = $"SELECT count(*), coalesce(extract(epoch FROM now() - min({sent})), 0)::float8 FROM {message.Name}";
                using var reader = command.ExecuteReader();
                reader.Read();
                last = new Reading(reader.GetInt64(0), Math.Max(0, reader.GetDouble(1)), DateTime.UtcNow);
                return last;
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                return null;
            }
        }
    }

    private sealed record Reading(long Count, double OldestAge, DateTime At);
}
