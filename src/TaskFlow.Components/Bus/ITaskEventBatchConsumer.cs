using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Bus;

/// <summary>
/// A consumer of every kind of task event, a batch at a time (the audit log, the notification store, the reminder
/// planner). Listed once so that a new kind of task event reaches them all: the compiler asks each for its Consume.
/// Its endpoint partitions the same kinds (<see cref="TaskEventPartitioning"/>).
/// </summary>
public interface ITaskEventBatchConsumer :
    IConsumer<Batch<TaskCreated>>, IConsumer<Batch<TaskUpdated>>, IConsumer<Batch<TaskCompleted>>, IConsumer<Batch<TaskReopened>>,
    IConsumer<Batch<TaskDeleted>>;
