using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// Tells the other nodes of the cluster, through PostgreSQL NOTIFY on <see cref="Channel"/>, that a bucket holds more
/// than one claim's worth of due messages, so that they join sending it (<see cref="BucketShareListener{TDbContext}"/>).
/// A bucket's trigger fires on one node only; without this, that node sends the whole second alone however many
/// nodes there are. Nothing depends on the NOTIFY arriving: a node that misses it only leaves more to the others.
/// </summary>
internal sealed class BucketAnnouncer<TDbContext>(
    IServiceScopeFactory scopeFactory,
    TaskFlowSchedulerOptions options,
    ILogger<BucketAnnouncer<TDbContext>> logger)
    where TDbContext : DbContext
{
    public const string Channel = "taskflow_scheduler";

    private string? connectionString;

    /// <summary>Returns at once: the NOTIFY goes on its own connection, not in the claim's transaction (which commits only after sending).</summary>
    public void Announce(DateTime bucket) => _ = Task.Run(() => NotifyAsync(bucket));

    public static string Payload(string schedulerName, DateTime bucket) =>
        schedulerName + "|" + bucket.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The bucket named by a payload of this cluster, or null for another scheduler's.</summary>
    public static DateTime? ReadPayload(string schedulerName, string payload)
    {
        var separator = payload.LastIndexOf('|');
        return separator > 0 && payload.AsSpan(0, separator).SequenceEqual(schedulerName)
            && DateTime.TryParse(payload.AsSpan(separator + 1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var bucket)
            ? bucket
            : null;
    }

    private async Task NotifyAsync(DateTime bucket)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString ??= ConnectionString());
            await connection.OpenAsync();
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", Channel);
            notify.Parameters.AddWithValue("payload", Payload(options.SchedulerName, bucket));
            await notify.ExecuteNonQueryAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not ask the other schedulers to share bucket {Bucket}; this node sends it alone", bucket);
        }
    }

    private string ConnectionString()
    {
        using var scope = scopeFactory.CreateScope();
        return scope.ServiceProvider.GetRequiredService<TDbContext>().Database.GetConnectionString()
            ?? throw new InvalidOperationException($"{typeof(TDbContext).Name} has no connection string.");
    }
}
