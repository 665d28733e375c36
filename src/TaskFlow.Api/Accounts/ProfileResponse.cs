namespace TaskFlow.Api.Accounts;

public sealed record ProfileResponse(Guid Id, string Email, string TimeZone, DateTimeOffset CreatedAt);
