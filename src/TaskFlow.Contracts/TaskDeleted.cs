using MassTransit;

namespace TaskFlow.Contracts;

[EntityName("taskflow.tasks.deleted")]
public sealed record TaskDeleted(Guid EventId, Guid TaskId, Guid OwnerId, int Version, DateTimeOffset OccurredAt, string Title)
    : ITaskEvent;
