namespace TaskFlow.Api.Tasks;

/// <summary>
/// A task as a client writes it (create, and full replacement on update). Everything arrives as text
/// so that a wrong value gets an answer naming the field rather than a JSON error.
/// </summary>
public sealed record TaskRequest(
    string? Title,
    string? Description = null,
    string? Priority = null,
    IReadOnlyList<string?>? Tags = null,
    DueRequest? Due = null,
    IReadOnlyList<string?>? Reminders = null,
    string? Recurrence = null,
    int? Version = null);

/// <param name="DateTime">A wall-clock time, "2026-12-01T09:00"; with an offset it is converted into the zone.</param>
/// <param name="Date">An all-day due date, "2026-12-01".</param>
/// <param name="TimeZone">An IANA zone; the owner's profile zone when left out.</param>
public sealed record DueRequest(string? DateTime = null, string? Date = null, string? TimeZone = null);
