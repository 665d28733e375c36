namespace TaskFlow.Api.Notifications;

public sealed record QuietHoursResponse(string Start, string End);
