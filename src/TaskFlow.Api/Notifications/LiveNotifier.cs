using MassTransit;
using Microsoft.AspNetCore.SignalR;
using TaskFlow.Components.Messaging;
using TaskFlow.Contracts;

namespace TaskFlow.Api.Notifications;

/// <summary>
/// Pushes every task event and fired reminder to its owner's connections on this API instance. Each instance has its
/// own temporary queue, so every replica gets every event and tells the browsers connected to it: scale-out needs no
/// backplane server. Nothing is stored here; a browser that was away catches up from the inbox.
/// </summary>
public sealed class LiveNotifier(IHubContext<NotificationHub> hub) :
    IConsumer<TaskCreated>, IConsumer<TaskUpdated>, IConsumer<TaskCompleted>, IConsumer<TaskReopened>, IConsumer<TaskDeleted>,
    IConsumer<ReminderTriggered>
{
    public Task Consume(ConsumeContext<TaskCreated> context) =>
        PushAsync(context, context.Message.OwnerId, LiveNotification.From(context.Message, "task.created", context.Message.Task.Title));

    public Task Consume(ConsumeContext<TaskUpdated> context) =>
        PushAsync(context, context.Message.OwnerId,
            LiveNotification.From(context.Message, "task.updated", context.Message.Task.Title, context.Message.Changed));

    public Task Consume(ConsumeContext<TaskCompleted> context) =>
        PushAsync(context, context.Message.OwnerId, LiveNotification.From(context.Message, "task.completed", context.Message.Task.Title));

    public Task Consume(ConsumeContext<TaskReopened> context) =>
        PushAsync(context, context.Message.OwnerId, LiveNotification.From(context.Message, "task.reopened", context.Message.Task.Title));

    public Task Consume(ConsumeContext<TaskDeleted> context) =>
        PushAsync(context, context.Message.OwnerId, LiveNotification.From(context.Message, "task.deleted", context.Message.Title));

    public Task Consume(ConsumeContext<ReminderTriggered> context) =>
        PushAsync(context, context.Message.OwnerId,
            LiveNotification.From(context.Message, context.Headers.Get<DateTimeOffset>(MessageHeaders.Quartz.Sent) ?? context.Message.IntendedAt));

    private Task PushAsync(ConsumeContext context, Guid ownerId, LiveNotification notification) =>
        hub.Clients.User(ownerId.ToString()).SendAsync(LiveNotification.Method, notification, context.CancellationToken);
}

public static class LiveNotificationRegistration
{
    /// <summary>The hub, and the consumer that feeds it from this instance's own temporary queue.</summary>
    public static IHostApplicationBuilder AddTaskFlowLiveNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddTaskFlowLiveNotifier(this IBusRegistrationConfigurator bus)
    {
        // Auto-deleted with its connection: a stopped instance leaves no queue collecting events nobody will push.
        bus.AddConsumer<LiveNotifier>().Endpoint(endpoint =>
        {
            endpoint.Name = $"{MessagingExtensions.LiveQueuePrefix}{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}";
            endpoint.Temporary = true;
        });
        return bus;
    }

    public static IEndpointRouteBuilder MapTaskFlowLiveNotifications(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<NotificationHub>(NotificationHub.Path);
        return endpoints;
    }
}
