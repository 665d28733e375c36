namespace TaskFlow.Components.Notifications;

/// <summary>One of a user's notifications (table notifications), as the notification store keeps it.</summary>
public sealed class Notification
{
    public long Id { get; init; }
    public Guid OwnerId { get; init; }
    public Guid EventId { get; init; }
    public required string Kind { get; init; }
    public Guid TaskId { get; init; }
    public required string Title { get; init; }
    public int? TaskVersion { get; init; }
    public Guid? ReminderId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The client whose request made the change (<see cref="ChangeOrigin"/>); null for the system's.</summary>
    public string? Origin { get; init; }

    /// <summary>When the worker stored it (its transaction's start).</summary>
    public DateTimeOffset StoredAt { get; init; }
    public DateTimeOffset? ReadAt { get; set; }
}
