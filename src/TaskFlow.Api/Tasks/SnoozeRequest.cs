namespace TaskFlow.Api.Tasks;

/// <param name="Minutes">How long to snooze, 1 to 1440.</param>
public sealed record SnoozeRequest(int? Minutes);
