namespace TaskFlow.Api.Tasks;

/// <param name="Recurrence">The task's RRULE, or null when it does not repeat (then there are no occurrences).</param>
/// <param name="Summary">The rule in words.</param>
/// <param name="Occurrences">The next due dates after the task's own, in its time zone.</param>
public sealed record OccurrencesResponse(string? Recurrence, string? Summary, IReadOnlyList<DueResponse> Occurrences);
