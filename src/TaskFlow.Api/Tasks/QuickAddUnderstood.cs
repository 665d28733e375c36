namespace TaskFlow.Api.Tasks;

/// <summary>One phrase of a quick-add text that was read, so a preview can show what was understood.</summary>
/// <param name="Kind">recurrence, due, priority, tag or reminder.</param>
/// <param name="Text">The words as typed.</param>
/// <param name="Meaning">What they were taken to mean, such as "Tue 8 Dec 2026, 17:00 (Europe/Berlin)".</param>
public sealed record QuickAddUnderstood(string Kind, string Text, string Meaning);
