using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// The repair path, not the way messages go out: if a message is overdue and still stored (its bucket's trigger was
/// lost, e.g. a row committed just as its bucket's last firing finished, or a retry could not be stored), its bucket
/// fires again at once through a one-off trigger of its own, whatever state the bucket's own trigger is in. A firing
/// too many is harmless: the job claims rows with SKIP LOCKED and sends each once. Also forgets tombstones older than
/// <see cref="TaskFlowSchedulerOptions.TombstoneRetention"/>, off the scheduling path, a batch a minute at most.
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

    private const int MostTombstonesPerPrune = 1000;
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);
    private DateTime nextPrune;

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

            await PruneTombstonesAsync(db, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Sweep for overdue scheduled messages failed; the next one tries again");
        }
    }

    private async Task PruneTombstonesAsync(TDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (now < nextPrune)
            return;
        var pruned = await ScheduledMessageStore.PruneTombstonesAsync(db, now - options.TombstoneRetention, MostTombstonesPerPrune, cancellationToken);
        // A full batch leaves more behind: the next sweep goes on.
        if (pruned < MostTombstonesPerPrune)
            nextPrune = now + PruneEvery;
    }
}
