using MassTransit;
using TaskFlow.Components.Bus;

namespace TaskFlow.Components.Reminders;

public sealed class ReminderPlannerDefinition() : BatchConsumerDefinition<ReminderPlanner>(
    Queue, batchSize: AtOnce / 2, Gathering, batchesAtOnce: 2, inFlight: AtOnce, prefetch: 2 * AtOnce)
{
    public const string Queue = "taskflow-reminder-planner";

    /// <summary>
    /// Events in flight at once, one per partition: as many as the saga it feeds takes, so that a burst of creations is
    /// not planned last, behind the audit and the notifications of the same events, although only its reminders have a
    /// deadline.
    /// </summary>
    public const int AtOnce = 64;

    /// <summary>How long a batch waits for more events after its first: planning waits this long at most.</summary>
    public static readonly TimeSpan Gathering = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Events of one task are planned in the order they arrive: the partitioner sits before the batches, and an event
    /// holds its partition until its batch is consumed (MassTransit acknowledges a batched message only then), so no
    /// later event of its task, of any type, can be planned before it.
    /// </summary>
    protected override void ConfigureBeforeBatches(IReceiveEndpointConfigurator endpoint) => endpoint.PartitionTaskEventsByTask(AtOnce);
}
