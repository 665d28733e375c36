using MassTransit;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// The wake-up of a process that commits outbox rows but delivers none (<c>DisableDeliveryService</c>): after each
/// commit it NOTIFYs <see cref="OutboxChannel.Name"/> so that the instances that deliver pick the rows up at once.
/// The commits themselves carry no NOTIFY (PostgreSQL would serialise them all on its notification queue lock); one
/// NOTIFY at a time, and commits made while one is on its way share the next. It is sent only after a commit, so
/// nothing rolled back is announced; if this process dies between the commit and the NOTIFY, the sweep finds the rows.
/// </summary>
internal sealed class OutboxCommitAnnouncer<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IOptions<OutboxDeliveryServiceOptions> options,
    ILogger<OutboxCommitAnnouncer<TDbContext>> logger) : IBusOutboxNotification
    where TDbContext : DbContext
{
    private const int Idle = 0, Sending = 1, SendingAndAgain = 2;
    private int state;
    private string? connectionString;

    /// <summary>Nothing delivers in this process: the wait is only the sweep's pace.</summary>
    public Task WaitForDelivery(CancellationToken cancellationToken) => Task.Delay(options.Value.QueryDelay, cancellationToken);

    public void Delivered()
    {
        // Idle → Sending starts a sender; Sending → SendingAndAgain asks it for one more NOTIFY after the current one.
        while (true)
        {
            var current = Volatile.Read(ref state);
            var next = current == Idle ? Sending : SendingAndAgain;
            if (current == SendingAndAgain || Interlocked.CompareExchange(ref state, next, current) == current)
            {
                if (current == Idle)
                    _ = Task.Run(SendAsync);
                return;
            }
        }
    }

    private async Task SendAsync()
    {
        do
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString ??= GetConnectionString());
                await connection.OpenAsync();
                await using var notify = new NpgsqlCommand($"SELECT pg_notify('{OutboxChannel.Name}', '')", connection);
                await notify.ExecuteNonQueryAsync();
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                logger.LogWarning(exception, "Could not announce committed outbox rows; the delivering instances find them in their sweep");
            }
        }
        // SendingAndAgain → Sending: go round once more; Sending → Idle: done.
        while (Interlocked.Decrement(ref state) != Idle);
    }

    private string GetConnectionString()
    {
        using var scope = scopeFactory.CreateScope();
        return scope.ServiceProvider.GetRequiredService<TDbContext>().Database.GetConnectionString()
            ?? throw new InvalidOperationException($"{typeof(TDbContext).Name} has no connection string.");
    }
}
