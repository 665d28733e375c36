using MassTransit;

namespace TaskFlow.Contracts;

/// <summary>
/// Sent to the reminder saga for each reminder a task has after a change. Carries the whole plan, so a repeat or a
/// late arrival is harmless: the saga ignores a plan older than the one it already has (by task version).
/// </summary>
/// <param name="FireAt">The due time minus the offset.</param>
[EntityName("taskflow.reminders.schedule")]
public sealed record ScheduleReminder(
    Guid ReminderId,
    Guid TaskId,
    Guid OwnerId,
    int TaskVersion,
    string Title,
    DueSnapshot Due,
    string Offset,
    DateTimeOffset FireAt);
