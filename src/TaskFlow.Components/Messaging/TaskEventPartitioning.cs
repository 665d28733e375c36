using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Messaging;

public static class TaskEventPartitioning
{
    /// <summary>
    /// Events of one task are consumed one at a time, in the order they arrive; different tasks in parallel. Not for a
    /// consumer of <see cref="Batch{T}"/>: MassTransit builds its single messages' pipe apart and never applies this there.
    /// </summary>
    public static void PartitionByTask<TConsumer>(this IConsumerConfigurator<TConsumer> consumer, IPartitioner partitioner)
        where TConsumer : class =>
        consumer.PartitionTaskEvents(partitioner, e => e.TaskId);

    private static void PartitionTaskEvents<TConsumer>(this IConsumerConfigurator<TConsumer> consumer, IPartitioner partitioner, Func<ITaskEvent, Guid> key)
        where TConsumer : class
    {
        consumer.Message<TaskCreated>(m => m.UsePartitioner(partitioner, c => key(c.Message)));
        consumer.Message<TaskUpdated>(m => m.UsePartitioner(partitioner, c => key(c.Message)));
        consumer.Message<TaskCompleted>(m => m.UsePartitioner(partitioner, c => key(c.Message)));
        consumer.Message<TaskReopened>(m => m.UsePartitioner(partitioner, c => key(c.Message)));
        consumer.Message<TaskDeleted>(m => m.UsePartitioner(partitioner, c => key(c.Message)));
    }

    /// <summary>
    /// As <see cref="PartitionByTask{TConsumer}"/>, for a consumer that takes task events in batches (<see cref="Batch{T}"/>):
    /// a batch consumer's own message pipe never sees the single events, so the partitioner sits on the endpoint's pipe
    /// of each event type. An event keeps its partition until the batch holding it is consumed, so the next event of
    /// the same task, of any type, waits for that batch.
    /// </summary>
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
