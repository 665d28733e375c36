namespace TaskFlow.Api.Infrastructure;

/// <summary>
/// Bound from "Overload": how many API requests run at once and how many wait for them, before the rest are refused
/// with 503. Unset, each bound is the API's connection pool (Database:MaxPoolSize): requests that run hold a connection
/// only for their statements, so with at most a pool's worth of each kind they wait for one briefly, never into the
/// pool's timeout, and one that waits in the queue is answered within a few requests' time.
/// </summary>
public sealed class OverloadOptions
{
    public const string Section = "Overload";

    /// <summary>POST, PUT, PATCH and DELETE under /api.</summary>
    public Bound Writes { get; set; } = new();

    /// <summary>GET and HEAD under /api: a bound of their own, so a burst of one kind does not refuse the other.</summary>
    public Bound Reads { get; set; } = new();

    /// <summary>Sent as Retry-After with a refusal, in whole seconds.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    public sealed class Bound
    {
        /// <summary>Requests that run at once; the pool size when unset.</summary>
        public int? PermitLimit { get; set; }

        /// <summary>Requests that wait, oldest first, for one of those to finish; the pool size when unset.</summary>
        public int? QueueLimit { get; set; }
    }
}
