using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Messaging;

public static class TaskEventPartitioning
{
    /// <summary>Events of one task are consumed one at a time, in the order they arrive; different tasks in parallel.</summary>
    public static void PartitionByTask<TConsumer>(this IConsumerConfigurator<TConsumer> consumer, IPartitioner partitioner)
        where TConsumer : class =>
        consumer.PartitionTaskEvents(partitioner, e => e.TaskId);

    /// <summary>
    /// Events of one task, of any type, are taken one at a time, in the order they arrive, by every consumer of the
    /// endpoint; different tasks in parallel. Batch consumers need it here: MassTransit builds a batch consumer's pipe
    /// from the batch, so a partitioner configured on the consumer's single messages would not apply.
    /// </summary>
    public static void PartitionByTask(this IConsumePipeConfigurator endpoint, IPartitioner partitioner)
    {
        endpoint.UsePartitioner<TaskCreated>(partitioner, c => c.Message.TaskId);
        endpoint.UsePartitioner<TaskUpdated>(partitioner, c => c.Message.TaskId);
        endpoint.UsePartitioner<TaskCompleted>(partitioner, c => c.Message.TaskId);
        endpoint.UsePartitioner<TaskReopened>(partitioner, c => c.Message.TaskId);
        endpoint.UsePartitioner<TaskDeleted>(partitioner, c => c.Message.TaskId);
    }

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
