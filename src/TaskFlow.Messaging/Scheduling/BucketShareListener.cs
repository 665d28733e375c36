using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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
            if (running.Firing)
                await firing.JoinAsync(bucket, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Could not join sending bucket {Bucket}; the other nodes send it", bucket);
        }
    }
}
