using MassTransit;
using Microsoft.AspNetCore.SignalR;
using TaskFlow.Components.Bus;

namespace TaskFlow.Api.Notifications;

public static class LiveNotificationRegistration
{
    /// <summary>The hub, and the consumer that feeds it from this instance's own temporary queue.</summary>
    public static IHostApplicationBuilder AddTaskFlowLiveNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<LiveFeed>();
        builder.Services.AddReceiveEndpointObserver(services => services.GetRequiredService<LiveFeed>());
        builder.Services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();
        builder.Services.AddSingleton<LivePushes>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddTaskFlowLiveNotifier(this IBusRegistrationConfigurator bus)
    {
        // Auto-deleted with its connection: a stopped instance leaves no queue collecting events nobody will push.
        bus.AddConsumer<LiveNotifier, LiveNotifierDefinition>().Endpoint(endpoint =>
        {
            endpoint.Name = $"{BusExtensions.LiveQueuePrefix}{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}";
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
