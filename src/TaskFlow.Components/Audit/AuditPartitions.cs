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
    /// On the consumer's own connection and transaction. Asking the pool for a second connection while holding the
    /// first deadlocks it once every pooled connection is held by a consumer doing so (a worker starting on a backlog,
    /// before the start-up pass has recorded the month): each waits out the pool's timeout and retries into the same
    /// wait. Only months the background pass has committed are remembered, so a partition created here and rolled back
    /// with its consumer is looked for again.
    /// </summary>
    public async Task EnsureAsync(TaskFlowDbContext db, DateTimeOffset instant, CancellationToken cancellationToken)
    {
        if (known.ContainsKey(MonthOf(instant)))
            return;
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT audit_log_ensure_partition({instant})", cancellationToken);
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
                await db.Database.ExecuteSqlInterpolatedAsync($"SELECT audit_log_ensure_partitions({MonthsAhead})", stoppingToken);
                for (var i = 0; i <= MonthsAhead; i++)
                    known.TryAdd(MonthOf(now.AddMonths(i)), true);
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
