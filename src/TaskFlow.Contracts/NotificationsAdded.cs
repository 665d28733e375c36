using MassTransit;

namespace TaskFlow.Contracts;

/// <summary>
/// The notifications one batch of events stored, to push live, in the order of their ids: one message to every API
/// instance where each notification was one (ten thousand reminders due in one second are a hundred messages).
/// </summary>
/// <param name="Notifications">Only those their owners want pushed now (preferences, quiet hours).</param>
[EntityName("taskflow.notifications.added-batch")]
public sealed record NotificationsAdded(IReadOnlyList<NotificationAdded> Notifications);
