using MassTransit;

namespace TaskFlow.Contracts;

/// <param name="NextOccurrence">The recurrence consumer created the task as a later occurrence of its series; false when its
/// owner created it, a series' first occurrence included.</param>
[EntityName("taskflow.tasks.created")]
public sealed record TaskCreated(
    Guid EventId, Guid TaskId, Guid OwnerId, int Version, DateTimeOffset OccurredAt, TaskSnapshot Task, bool NextOccurrence = false)
    : ITaskEvent;
