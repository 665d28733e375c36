using MassTransit;
using TaskFlow.Components.Bus;

namespace TaskFlow.Components.Notifications;

public sealed class NotificationStoreDefinition() : BatchConsumerDefinition<NotificationStore>(Queue,
    batchSize: BatchSize, gathering: BatchWait,
    // One batch of each message type at a time: the owner locks of two batches of one type never interleave, and their
    // pushes leave in id order.
    batchesAtOnce: 1,
    // Room for a batch being stored while the next one fills, and for task events waiting for their owner's turn.
    inFlight: InFlight, prefetch: InFlight)
{
    /// <summary>The worker's queue that stores the users' notifications.</summary>
    public const string Queue = "taskflow-notifications";

    /// <summary>
    /// Events stored per transaction. A batch closes when full or <see cref="BatchWait"/> after its first event, so a lone
    /// event waits no longer than that: a third of the 15 ms a change may take to reach a browser, and one setting for task
    /// events and fired reminders alike, as MassTransit keeps batch options per consumer, not per message type.
    /// </summary>
    public const int BatchSize = 100;

    public static readonly TimeSpan BatchWait = TimeSpan.FromMilliseconds(5);

    private const int InFlight = 2 * BatchSize + 32;

    /// <summary>One owner at a time: their ids then increase in the order their notifications commit.</summary>
    protected override void ConfigureBeforeBatches(IReceiveEndpointConfigurator endpoint) => endpoint.PartitionTaskEventsByOwner(BatchSize);
}
