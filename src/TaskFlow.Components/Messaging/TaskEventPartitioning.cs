using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Messaging;

public static class TaskEventPartitioning
{
    /// <summary>Events of one task are consumed one at a time, in the order they arrive; different tasks in parallel.</summary>
    public static void PartitionByTask<TConsumer>(this IConsumerConfigurator<TConsumer> consumer, IPartitioner partitioner)
        where TConsumer : class =>
        consumer.PartitionTaskEvents(partitioner, e => e.TaskId);

    /// <summary>Events of one owner are consumed one at a time, in the order they arrive; different owners in parallel.</summary>
    public static void PartitionByOwner<TConsumer>(this IConsumerConfigurator<TConsumer> consumer, IPartitioner partitioner)
        where TConsumer : class =>
        consumer.PartitionTaskEvents(partitioner, e => e.OwnerId);

    private static void PartitionTaskEvents<TConsumer>(this IConsumerConfigurator<TConsumer> consumer, IPartitioner partitioner, Func<ITaskEvent, Guid> key)
        where TConsumer : class
    {
        consumer.Message<TaskCreated>(m => m.UsePartitioner(partitioner, c => key(c.Message)));
        consumer.Message<TaskUpdated>(m => m.UsePartitioner(partitioner, c => key(c.Message)));
        consumer.Message<TaskCompleted>(m => m.UsePartitioner(partitioner, c => key(c.Message)));
        consumer.Message<TaskReopened>(m => m.UsePartitioner(partitioner, c => key(c.Message)));
        consumer.Message<TaskDeleted>(m => m.UsePartitioner(partitioner, c => key(c.Message)));
    }
}
