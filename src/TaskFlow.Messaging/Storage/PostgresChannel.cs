using Microsoft.Extensions.Logging;
using Npgsql;

namespace TaskFlow.Messaging.Storage;

/// <summary>
/// LISTENs on one PostgreSQL channel over a dedicated connection for as long as it is not stopped, reconnecting with
/// back-off: the way one process's commits wake the others without any of them polling.
/// </summary>
internal static class PostgresChannel
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Calls <paramref name="received"/> with each notification's payload; <paramref name="listening"/> with true once
    /// listening (notifications sent while no connection listened are lost: look once then) and false when the
    /// connection is lost.
    /// </summary>
    public static async Task ListenAsync(string connectionString, string channel, Action<string> received, Action<bool> listening,
        ILogger logger, CancellationToken stoppingToken)
    {
        // A dedicated, unpooled connection: a pooled one would be reset (UNLISTEN) on return; keep-alive finds dead peers.
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString;
        var backOff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) => received(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);

                backOff = TimeSpan.FromSeconds(1);
                listening(true);
                while (true)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Listener on {Channel} lost its connection; reconnecting in {BackOff}", channel, backOff);
            }
            finally
            {
                listening(false);
            }

            await Task.Delay(backOff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, MaxBackOff.Ticks));
        }
    }
}
