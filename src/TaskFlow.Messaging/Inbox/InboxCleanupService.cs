using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TaskFlow.Messaging.Inbox;

/// <summary>
/// Forgets inbox rows whose outbox was delivered longer than <see cref="InboxCleanupServiceOptions.DuplicateDetectionWindow"/>
/// ago, in batches of <see cref="InboxCleanupServiceOptions.QueryMessageLimit"/>, every
/// <see cref="InboxCleanupServiceOptions.QueryDelay"/>.
/// </summary>
public sealed class InboxCleanupService<TDbContext>(
    IOptions<InboxCleanupServiceOptions<TDbContext>> options,
    IServiceScopeFactory scopeFactory,
    TimeProvider clock,
    ILogger<InboxCleanupService<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int deleted;
                do
                {
                    deleted = await DeleteBatchAsync(settings, stoppingToken);
                    if (deleted > 0)
                        logger.LogDebug("Inbox cleanup removed {Count} rows", deleted);
                }
                while (deleted == settings.QueryMessageLimit);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Inbox cleanup failed");
            }

            await Task.Delay(settings.QueryDelay, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<int> DeleteBatchAsync(InboxCleanupServiceOptions settings, CancellationToken stoppingToken)
    {
        using var limit = new CancellationTokenSource(settings.QueryTimeout, clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, limit.Token);
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var cutoff = clock.GetUtcNow().UtcDateTime - settings.DuplicateDetectionWindow;
        var batch = db.Set<InboxState>()
            .Where(i => i.Delivered < cutoff)
            .OrderBy(i => i.Delivered)
            .Take(settings.QueryMessageLimit)
            .Select(i => i.Id);
        return await db.Set<InboxState>().Where(i => batch.Contains(i.Id)).ExecuteDeleteAsync(timeout.Token);
    }
}
