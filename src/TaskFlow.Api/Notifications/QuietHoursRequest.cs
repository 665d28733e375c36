namespace TaskFlow.Api.Notifications;

/// <param name="Start">From this time of day, "22:00" (24-hour, HH:mm) ...</param>
/// <param name="End">... up to this one, on the next day when it is earlier ("07:00"); it must differ from the start.</param>
public sealed record QuietHoursRequest(string? Start, string? End);
