namespace TaskFlow.Components.Accounts;

public sealed class User
{
    public Guid Id { get; init; }
    public required string Email { get; set; }
    /// <summary>What makes an address unique: <see cref="EmailAddress.Normalize"/>.</summary>
    public required string NormalizedEmail { get; set; }
    public required string PasswordHash { get; set; }

    /// <summary>IANA zone used when a task's due date names none.</summary>
    public required string TimeZone { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}
