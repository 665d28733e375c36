namespace TaskFlow.Contracts;

/// <param name="Local">Wall time in <paramref name="TimeZone"/> ("2027-01-04T09:00:00"); midnight for an all-day task.</param>
/// <param name="At">The instant it falls due (for an all-day task, the end of its day).</param>
public sealed record DueSnapshot(string Local, bool AllDay, string TimeZone, DateTimeOffset At);
