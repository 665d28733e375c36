using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskFlow.Messaging.Storage;

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
    private volatile bool listening;

    /// <summary>True while the LISTEN connection is open.</summary>
    public bool IsListening => listening;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var connectionString = scope.ServiceProvider.GetRequiredService<TDbContext>().Database.GetConnectionString()
            ?? throw new InvalidOperationException($"{typeof(TDbContext).Name} has no connection string.");
        await PostgresChannel.ListenAsync(connectionString, OutboxChannel.Name, _ => notification.Delivered(), open =>
        {
            listening = open;
            // Commits made while no connection was listening were not announced: look once.
            if (open)
                notification.Delivered();
        }, logger, stoppingToken);
    }
}
