namespace TaskFlow.Api.Notifications;

/// <param name="UnreadCount">All of the user's unread notifications, not only this page's.</param>
/// <param name="NextCursor">Pass as cursor for the next page; null on the last.</param>
public sealed record NotificationPage(IReadOnlyList<LiveNotification> Items, int UnreadCount, string? NextCursor);
