using MassTransit;

namespace TaskFlow.Contracts;

/// <param name="Changed">The fields whose value changed, by their API names (title, due, reminders, recurrence, ...).</param>
[EntityName("taskflow.tasks.updated")]
public sealed record TaskUpdated(
    Guid EventId, Guid TaskId, Guid OwnerId, int Version, DateTimeOffset OccurredAt, IReadOnlyList<string> Changed, TaskSnapshot Task)
    : ITaskEvent;
