using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// Joins sending a bucket another node announced (<see cref="BucketAnnouncer{TDbContext}"/>): the claims take rows
/// with SKIP LOCKED, so the nodes split the second between them and each row still goes out once. Only while this
/// node's Quartz scheduler fires: a node that is stopping takes on no new work.
/// </summary>
internal sealed class BucketShareListener<TDbContext>(
    IServiceScopeFactory scopeFactory,
    BucketFiring<TDbContext> firing,
    RunningJobs running,
    TaskFlowSchedulerOptions options,
    ILogger<BucketShareListener<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    /// <summary>
    /// Joins at once at most as many as Quartz fires buckets (<see cref="TaskFlowSchedulerOptions.MaxConcurrency"/>):
    /// each holds <see cref="TaskFlowSchedulerOptions.ClaimsPerBucket"/> connections of the application's pool, and a
    /// run of busy seconds must not take all of them. A bucket not joined is sent by the nodes already on it.
    /// </summary>
    private int joining;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var connectionString = scope.ServiceProvider.GetRequiredService<TDbContext>().Database.GetConnectionString()
            ?? throw new InvalidOperationException($"{typeof(TDbContext).Name} has no connection string.");
        await PostgresChannel.ListenAsync(connectionString, BucketAnnouncer<TDbContext>.Channel, payload =>
        {
            if (BucketAnnouncer<TDbContext>.ReadPayload(options.SchedulerName, payload) is { } bucket)
                _ = Task.Run(() => JoinAsync(bucket, stoppingToken), CancellationToken.None);
        }, _ => { }, logger, stoppingToken);
    }

    private async Task JoinAsync(DateTime bucket, CancellationToken stoppingToken)
    {
        try
        {
            if (Interlocked.Increment(ref joining) <= options.MaxConcurrency && running.Firing)
                await firing.JoinAsync(bucket, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Could not join sending bucket {Bucket}; the other nodes send it", bucket);
        }
        finally
        {
            Interlocked.Decrement(ref joining);
        }
    }
}
