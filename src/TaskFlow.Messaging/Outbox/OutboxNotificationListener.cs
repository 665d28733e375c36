using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// Keeps one dedicated connection LISTENing on <see cref="OutboxChannel.Name"/> and wakes this process's delivery service
/// when another process asks: one that committed outbox rows without delivering them itself
/// (<see cref="OutboxCommitAnnouncer{TDbContext}"/>), or a delivery pass that claimed a full batch. Reconnects with back-off.
/// </summary>
public sealed class OutboxNotificationListener<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IBusOutboxNotification notification,
    ILogger<OutboxNotificationListener<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(30);
    private volatile bool listening;

    /// <summary>True while the LISTEN connection is open.</summary>
    public bool IsListening => listening;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = await GetConnectionStringAsync();
        var backOff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, _) => notification.Delivered();
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {OutboxChannel.Name}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);

                listening = true;
                backOff = TimeSpan.FromSeconds(1);
                // Commits made while no connection was listening were not announced: look once.
                notification.Delivered();
                while (true)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Outbox notification listener lost its connection; reconnecting in {BackOff}", backOff);
            }
            finally
            {
                listening = false;
            }

            await Task.Delay(backOff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, MaxBackOff.Ticks));
        }
    }

    private async Task<string> GetConnectionStringAsync()
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var connectionString = scope.ServiceProvider.GetRequiredService<TDbContext>().Database.GetConnectionString()
            ?? throw new InvalidOperationException($"{typeof(TDbContext).Name} has no connection string.");
        // A dedicated, unpooled connection: a pooled one would be reset (UNLISTEN) on return; keep-alive finds dead peers.
        return new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString;
    }
}
