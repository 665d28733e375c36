using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskFlow.Components.Data;

namespace TaskFlow.Components.Audit;

/// <summary>
/// Keeps the audit log's month partitions ahead of time: at start-up and every day for the coming
/// months, and on demand for an event of a month not seen yet (a backlog across a month end, a late
/// redelivery), so an insert never meets a missing partition.
/// </summary>
public sealed class AuditPartitions(IServiceScopeFactory scopes, TimeProvider clock, ILogger<AuditPartitions> logger) : BackgroundService
{
    public const int MonthsAhead = 3;
    private readonly ConcurrentDictionary<(int Year, int Month), bool> known = new();

    /// <summary>
    /// One instant of each month among <paramref name="instants"/> whose partition is not known to exist: the consumer
    /// creates those in the statement that inserts its batch (a second connection while holding the first would deadlock
    /// the pool once every pooled connection is held by a consumer doing so). Known months cost nothing.
    /// </summary>
    public DateTimeOffset[] Unknown(IEnumerable<DateTimeOffset> instants) =>
        instants.Where(i => !known.ContainsKey(MonthOf(i))).DistinctBy(MonthOf).ToArray();

    /// <summary>Months whose partitions a committed statement has just ensured.</summary>
    public void Remember(IEnumerable<DateTimeOffset> instants)
    {
        foreach (var instant in instants)
            known.TryAdd(MonthOf(instant), true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var daily = new PeriodicTimer(TimeSpan.FromDays(1), clock);
        do
        {
            try
            {
                var now = clock.GetUtcNow();
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TaskFlowDbContext>();
                await db.Database.ExecuteSqlInterpolatedAsync(AuditStatements.EnsureComingPartitions(MonthsAhead), stoppingToken);
                Remember(Enumerable.Range(0, MonthsAhead + 1).Select(i => now.AddMonths(i)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The on-demand path still covers inserts; try again tomorrow.
                logger.LogWarning(e, "Could not create the coming audit log partitions");
            }
        }
        while (await daily.WaitForNextTickAsync(stoppingToken));
    }

    private static (int Year, int Month) MonthOf(DateTimeOffset instant) => (instant.UtcDateTime.Year, instant.UtcDateTime.Month);
}
