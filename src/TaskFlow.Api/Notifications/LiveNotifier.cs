using System.Diagnostics;
using MassTransit;
using Microsoft.AspNetCore.SignalR;
using TaskFlow.Components.Hosting;
using TaskFlow.Contracts;

namespace TaskFlow.Api.Notifications;

/// <summary>
/// Pushes each notification the worker stored to its owner's connections on this API instance. Each instance has its
/// own temporary queue, so every replica gets every notification and tells the browsers connected to it: scale-out
/// needs no backplane server. A browser that was away catches up from its stored notifications by id.
/// </summary>
public sealed class LiveNotifier(IHubContext<NotificationHub> hub, LivePushes pushes) : IConsumer<NotificationsAdded>, IConsumer<NotificationAdded>
{
    /// <summary>Span: the hand-over to the owner's connections, the end of the trace that began with the change.</summary>
    public const string PushSpan = "notification push";

    /// <summary>A stored batch: each owner's in the order of their ids, owners side by side.</summary>
    public Task Consume(ConsumeContext<NotificationsAdded> context) =>
        Task.WhenAll(context.Message.Notifications.GroupBy(n => n.OwnerId).Select(async owner =>
        {
            foreach (var notification in owner)
                await PushAsync(notification, context.CancellationToken);
        }));

    /// <summary>One at a time, as workers of earlier versions announce them: still pushed during a rolling upgrade.</summary>
    public Task Consume(ConsumeContext<NotificationAdded> context) => PushAsync(context.Message, context.CancellationToken);

    private async Task PushAsync(NotificationAdded notification, CancellationToken cancellationToken)
    {
        using var activity = TaskFlowTelemetry.Source.StartActivity(PushSpan, ActivityKind.Producer);
        activity?.SetTag("taskflow.notification.kind", notification.Kind);
        activity?.SetTag("taskflow.notification.id", notification.Id);
        activity?.SetTag("taskflow.task.id", notification.TaskId.ToString());
        await hub.Clients.User(notification.OwnerId.ToString())
            .SendAsync(LiveNotification.Method, LiveNotification.From(notification), cancellationToken);
        pushes.Add(notification.Kind);
    }
}
