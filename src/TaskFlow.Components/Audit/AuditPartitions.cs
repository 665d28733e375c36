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

    public async Task EnsureAsync(DateTimeOffset instant, CancellationToken cancellationToken)
    {
        var month = (instant.UtcDateTime.Year, instant.UtcDateTime.Month);
        if (known.ContainsKey(month))
            return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaskFlowDbContext>();
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT audit_log_ensure_partition({instant})", cancellationToken);
        known.TryAdd(month, true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var daily = new PeriodicTimer(TimeSpan.FromDays(1), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TaskFlowDbContext>();
                await db.Database.ExecuteSqlInterpolatedAsync($"SELECT audit_log_ensure_partitions({MonthsAhead})", stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The on-demand path still covers inserts; try again tomorrow.
                logger.LogWarning(e, "Could not create the coming audit log partitions");
            }
        }
        while (await daily.WaitForNextTickAsync(stoppingToken));
    }
}
