using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TaskFlow.Messaging.Outbox;

/// <summary>The bus outbox's services for one DbContext, as <c>UseBusOutbox</c> asks <c>AddTaskFlowOutbox</c> for them.</summary>
internal static class BusOutboxRegistration
{
    /// <summary>
    /// Sends and publishes outside a consumer become outbox rows; with the delivery service (and its listener for other
    /// instances' commits) this process sends them, without it the commits wake the instances that do.
    /// </summary>
    public static void AddTaskFlowBusOutbox<TDbContext>(this IServiceCollection services, Action<OutboxDeliveryServiceOptions> delivery,
        bool deliveryService, bool notificationListener)
        where TDbContext : DbContext
    {
        services.ReplaceScoped<IScopedBusContextProvider<IBus>, BusOutboxScopedContextProvider<TDbContext>>();
        services.AddOptions<OutboxDeliveryServiceOptions>().Configure(delivery);
        services.RemoveAll<IBusOutboxNotification>();
        // A commit wakes this process's delivery service, or, in a process without one, the instances that deliver.
        if (deliveryService)
            services.AddSingleton<IBusOutboxNotification, OutboxDeliveryNotification>();
        else
            services.AddSingleton<IBusOutboxNotification, OutboxCommitAnnouncer<TDbContext>>();
        // Joins every DbContext whose options take the registered interceptors (TaskFlow's AddDbContext does).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor, OutboxCommitInterceptor>());

        if (!deliveryService)
            return;

        services.AddHostedService<OutboxDeliveryService<TDbContext>>();
        if (notificationListener)
        {
            services.TryAddSingleton<OutboxNotificationListener<TDbContext>>();
            services.AddHostedService(provider => provider.GetRequiredService<OutboxNotificationListener<TDbContext>>());
        }
    }
}
