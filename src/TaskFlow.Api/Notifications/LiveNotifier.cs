using MassTransit;
using Microsoft.AspNetCore.SignalR;
using TaskFlow.Components.Messaging;
using TaskFlow.Contracts;

namespace TaskFlow.Api.Notifications;

/// <summary>
/// Pushes each notification the worker stored to its owner's connections on this API instance. Each instance has its
/// own temporary queue, so every replica gets every notification and tells the browsers connected to it: scale-out
/// needs no backplane server. A browser that was away catches up from the inbox by id.
/// </summary>
public sealed class LiveNotifier(IHubContext<NotificationHub> hub) : IConsumer<NotificationAdded>
{
    public Task Consume(ConsumeContext<NotificationAdded> context) =>
        hub.Clients.User(context.Message.OwnerId.ToString())
            .SendAsync(LiveNotification.Method, LiveNotification.From(context.Message), context.CancellationToken);
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
