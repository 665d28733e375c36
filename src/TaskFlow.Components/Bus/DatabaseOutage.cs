using Npgsql;

namespace TaskFlow.Components.Bus;

/// <summary>What a consumer meets while PostgreSQL is unreachable, and how long it waits for it to come back.</summary>
public static class DatabaseOutage
{
    /// <summary>
    /// About a minute in all: a restart or a managed failover, not a lasting loss. Short at first, because Npgsql
    /// counts a deadlock or a serialization failure as transient too, and those clear at once.
    /// </summary>
    public static readonly TimeSpan[] Pauses =
    [
        TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2),
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30),
    ];

    /// <summary>
    /// Npgsql's own verdict, wherever EF Core or MassTransit wrapped it (EF reports a transient failure as an
    /// InvalidOperationException, a failed save as a DbUpdateException): refused or broken connections, an exhausted
    /// pool, a server shutting down or starting up, too many connections.
    /// </summary>
    public static bool Caused(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true })
                return true;
        }

        return false;
    }
}
