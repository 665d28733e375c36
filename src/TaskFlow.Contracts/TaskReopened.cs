using MassTransit;

namespace TaskFlow.Contracts;

[EntityName("taskflow.tasks.reopened")]
public sealed record TaskReopened(Guid EventId, Guid TaskId, Guid OwnerId, int Version, DateTimeOffset OccurredAt, TaskSnapshot Task)
    : ITaskEvent;
