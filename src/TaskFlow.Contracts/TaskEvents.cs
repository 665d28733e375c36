using MassTransit;

namespace TaskFlow.Contracts;

/// <summary>What every task event carries. Routing is by the concrete events; this shape gets no exchange.</summary>
[ExcludeFromTopology]
public interface ITaskEvent
{
    /// <summary>Unique per event; consumers de-duplicate on it.</summary>
    Guid EventId { get; }

    Guid TaskId { get; }
    Guid OwnerId { get; }

    /// <summary>The task's version after the change; orders the events of one task.</summary>
    int Version { get; }

    DateTimeOffset OccurredAt { get; }
}

/// <param name="NextOccurrence">The recurrence consumer created the task as a later occurrence of its series; false when its
/// owner created it, a series' first occurrence included.</param>
[EntityName("taskflow.tasks.created")]
public sealed record TaskCreated(
    Guid EventId, Guid TaskId, Guid OwnerId, int Version, DateTimeOffset OccurredAt, TaskSnapshot Task, bool NextOccurrence = false)
    : ITaskEvent;

/// <param name="Changed">The fields whose value changed, by their API names (title, due, reminders, recurrence, ...).</param>
[EntityName("taskflow.tasks.updated")]
public sealed record TaskUpdated(
    Guid EventId, Guid TaskId, Guid OwnerId, int Version, DateTimeOffset OccurredAt, IReadOnlyList<string> Changed, TaskSnapshot Task)
    : ITaskEvent;

[EntityName("taskflow.tasks.completed")]
public sealed record TaskCompleted(Guid EventId, Guid TaskId, Guid OwnerId, int Version, DateTimeOffset OccurredAt, TaskSnapshot Task)
    : ITaskEvent;

[EntityName("taskflow.tasks.reopened")]
public sealed record TaskReopened(Guid EventId, Guid TaskId, Guid OwnerId, int Version, DateTimeOffset OccurredAt, TaskSnapshot Task)
    : ITaskEvent;

[EntityName("taskflow.tasks.deleted")]
public sealed record TaskDeleted(Guid EventId, Guid TaskId, Guid OwnerId, int Version, DateTimeOffset OccurredAt, string Title)
    : ITaskEvent;

/// <summary>The task as it stands after the change: what the reminder, recurrence and notification consumers need.</summary>
/// <param name="Priority">none, low, medium or high.</param>
/// <param name="Status">open or completed.</param>
/// <param name="Reminders">Offsets before due, ISO 8601 ("PT15M").</param>
/// <param name="Recurrence">An RFC 5545 RRULE without the "RRULE:" prefix.</param>
/// <param name="SeriesId">The repeating series this task is an occurrence of.</param>
public sealed record TaskSnapshot(
    string Title,
    string? Description,
    string Priority,
    IReadOnlyList<string> Tags,
    string Status,
    DueSnapshot? Due,
    IReadOnlyList<string> Reminders,
    string? Recurrence,
    DateTimeOffset? CompletedAt,
    Guid? SeriesId = null);

/// <param name="Local">Wall time in <paramref name="TimeZone"/> ("2027-01-04T09:00:00"); midnight for an all-day task.</param>
/// <param name="At">The instant it falls due (for an all-day task, the end of its day).</param>
public sealed record DueSnapshot(string Local, bool AllDay, string TimeZone, DateTimeOffset At);
