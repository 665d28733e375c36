using MassTransit;

namespace TaskFlow.Contracts;

[EntityName("taskflow.tasks.completed")]
public sealed record TaskCompleted(Guid EventId, Guid TaskId, Guid OwnerId, int Version, DateTimeOffset OccurredAt, TaskSnapshot Task)
    : ITaskEvent;
