using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// The repair path, not the way messages go out: if a message is overdue and still stored (its bucket's trigger was
/// lost, e.g. a row committed just as its bucket's last firing finished, or a retry could not be stored), its bucket
/// fires again at once through a one-off trigger of its own, whatever state the bucket's own trigger is in. A firing
/// too many is harmless: the job claims rows with SKIP LOCKED and sends each once.
/// </summary>
internal sealed class OverdueBucketSweeper<TDbContext>(
    IServiceScopeFactory scopeFactory,
    BucketTriggers triggers,
    TaskFlowSchedulerOptions options,
    TimeProvider clock,
    ILogger<OverdueBucketSweeper<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    /// <summary>Enough to clear a backlog within a few sweeps without one sweep storing hundreds of triggers.</summary>
    private const int MostBucketsPerSweep = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await SweepAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            var overdue = clock.GetUtcNow().UtcDateTime - options.SweepGrace;
            // A bucket is its due times rounded down, so an overdue message's bucket is before the cut-off too: that bound
            // on the index's leading column makes the sweep read the few index entries overdue, not the whole index.
            var buckets = await db.Set<ScheduledMessage>().AsNoTracking()
                .Where(m => m.Bucket < overdue && m.DueTime < overdue)
                .Select(m => m.Bucket)
                .Distinct()
                .OrderBy(b => b)
                .Take(MostBucketsPerSweep)
                .ToListAsync(cancellationToken);
            foreach (var bucket in buckets)
            {
                logger.LogWarning("Scheduled messages of bucket {Bucket} are overdue; firing it again", bucket);
                await triggers.FireAgainAsync(bucket, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Sweep for overdue scheduled messages failed; the next one tries again");
        }
    }
}
