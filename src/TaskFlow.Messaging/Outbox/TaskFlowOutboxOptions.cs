using Microsoft.EntityFrameworkCore;

namespace TaskFlow.Messaging.Outbox;

/// <summary>What the outbox for one DbContext needs beyond MassTransit's own option types.</summary>
public sealed class TaskFlowOutboxOptions<TDbContext>
    where TDbContext : DbContext
{
    /// <summary>
    /// Message → partition key. Messages with the same key leave in the order their transactions committed;
    /// null (the default for every message) means no ordering constraint beyond the publishing transaction.
    /// </summary>
    public Func<object, string?> PartitionKey { get; set; } = _ => null;

    /// <summary>Counted failed attempts after which the delivery service parks a state (see <see cref="OutboxState.Parked"/>).</summary>
    public int DeliveryAttemptLimit { get; set; } = 10;
}
