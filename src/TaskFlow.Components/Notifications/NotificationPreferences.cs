namespace TaskFlow.Components.Notifications;

/// <summary>
/// What a user wants pushed live (table notification_preferences). Every notification is stored whatever
/// this says; a user without a row gets <see cref="NotificationKinds.All"/> live and no quiet hours.
/// </summary>
public sealed class NotificationPreferences
{
    public Guid OwnerId { get; init; }

    /// <summary>The kinds pushed live, in the order of <see cref="NotificationKinds.All"/>.</summary>
    public required List<string> LiveKinds { get; set; }

    /// <summary>Both set, or neither; they differ (the database checks both).</summary>
    public TimeOnly? QuietStart { get; set; }
    public TimeOnly? QuietEnd { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
