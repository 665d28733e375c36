namespace TaskFlow.Api.Tasks;

/// <param name="RecurrenceMode">schedule (default: each occurrence appears <paramref name="RecurrenceLead"/> before its
/// due) or completion (the next one is due an interval after the current one is completed).</param>
/// <param name="RecurrenceLead">How long before its due an occurrence appears, ISO 8601; "P1D" when left out.</param>
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
    int? Version = null,
    string? RecurrenceMode = null,
    string? RecurrenceLead = null);
