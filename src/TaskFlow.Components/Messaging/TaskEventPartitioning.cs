using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Messaging;

public static class TaskEventPartitioning
{
    /// <summary>Events of one task are consumed one at a time, in the order they arrive; different tasks in parallel.</summary>
    public static void PartitionByTask<TConsumer>(this IConsumerConfigurator<TConsumer> consumer, IPartitioner partitioner)
        where TConsumer : class
    {
        consumer.Message<TaskCreated>(m => m.UsePartitioner(partitioner, c => c.Message.TaskId));
        consumer.Message<TaskUpdated>(m => m.UsePartitioner(partitioner, c => c.Message.TaskId));
        consumer.Message<TaskCompleted>(m => m.UsePartitioner(partitioner, c => c.Message.TaskId));
        consumer.Message<TaskReopened>(m => m.UsePartitioner(partitioner, c => c.Message.TaskId));
        consumer.Message<TaskDeleted>(m => m.UsePartitioner(partitioner, c => c.Message.TaskId));
    }
}
