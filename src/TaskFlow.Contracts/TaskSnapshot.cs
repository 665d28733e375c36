namespace TaskFlow.Contracts;

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
