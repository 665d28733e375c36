namespace TaskFlow.Api.Tasks;

/// <param name="DateTime">A wall-clock time, "2026-12-01T09:00"; with an offset it is converted into the zone.</param>
/// <param name="Date">An all-day due date, "2026-12-01".</param>
/// <param name="TimeZone">An IANA zone; the owner's profile zone when left out.</param>
public sealed record DueRequest(string? DateTime = null, string? Date = null, string? TimeZone = null);
