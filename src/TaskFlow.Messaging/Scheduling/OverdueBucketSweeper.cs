using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// The repair path, not the way messages go out: if a message is overdue and still stored (its bucket's trigger was
/// lost, e.g. a row committed just as its bucket's last firing finished, or a retry could not be stored), its bucket
/// gets a trigger again and fires at once. It reads one indexed minimum per sweep.
/// </summary>
internal sealed class OverdueBucketSweeper<TDbContext>(
    IServiceScopeFactory scopeFactory,
    BucketTriggers triggers,
    TaskFlowSchedulerOptions options,
    TimeProvider clock,
    ILogger<OverdueBucketSweeper<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
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
            var bucket = await db.Set<ScheduledMessage>().AsNoTracking()
                .Where(m => m.DueTime < overdue)
                .MinAsync(m => (DateTime?)m.Bucket, cancellationToken);
            if (bucket is null)
                return;
            logger.LogWarning("Scheduled messages of bucket {Bucket} are overdue; firing it again", bucket);
            await triggers.EnsureAsync(bucket.Value, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Sweep for overdue scheduled messages failed; the next one tries again");
        }
    }
}
