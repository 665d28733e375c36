using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Bus;

/// <summary>
/// Partitioners for consumers that take task events in batches (<see cref="Batch{T}"/>). MassTransit builds a batch
/// consumer's pipe from the batch, so a partitioner configured on the consumer's single messages would never apply:
/// it sits on the endpoint's pipe of each event type instead. An event keeps its partition until the batch holding it
/// is consumed, so the next event of the same key, of any type, waits for that batch.
/// </summary>
public static class TaskEventPartitioning
{
    /// <summary>Events of one task are taken one at a time, in the order they arrive; different tasks in parallel.</summary>
    public static void PartitionTaskEventsByTask(this IReceiveEndpointConfigurator endpoint, int partitionCount) =>
        endpoint.PartitionTaskEvents(partitionCount, e => e.TaskId);

    /// <summary>As <see cref="PartitionTaskEventsByTask"/>, one owner's events at a time.</summary>
    public static void PartitionTaskEventsByOwner(this IReceiveEndpointConfigurator endpoint, int partitionCount) =>
        endpoint.PartitionTaskEvents(partitionCount, e => e.OwnerId);

    private static void PartitionTaskEvents(this IReceiveEndpointConfigurator endpoint, int partitionCount, Func<ITaskEvent, Guid> key)
    {
        var partitioner = endpoint.CreatePartitioner(partitionCount);
        endpoint.UsePartitioner<TaskCreated>(partitioner, c => key(c.Message));
        endpoint.UsePartitioner<TaskUpdated>(partitioner, c => key(c.Message));
        endpoint.UsePartitioner<TaskCompleted>(partitioner, c => key(c.Message));
        endpoint.UsePartitioner<TaskReopened>(partitioner, c => key(c.Message));
        endpoint.UsePartitioner<TaskDeleted>(partitioner, c => key(c.Message));
    }
}
