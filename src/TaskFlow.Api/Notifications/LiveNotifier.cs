using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.AspNetCore.SignalR;
using TaskFlow.Components.Hosting;
using TaskFlow.Components.Messaging;
using TaskFlow.Contracts;

namespace TaskFlow.Api.Notifications;

/// <summary>
/// Pushes each notification the worker stored to its owner's connections on this API instance. Each instance has its
/// own temporary queue, so every replica gets every notification and tells the browsers connected to it: scale-out
/// needs no backplane server. A browser that was away catches up from the inbox by id.
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

/// <summary>The push counter, one per host (a consumer is made per message).</summary>
public sealed class LivePushes(IMeterFactory meterFactory)
{
    private readonly Counter<long> pushed = TaskFlowTelemetry.CreateMeter(meterFactory)
        .CreateCounter<long>(TaskFlowTelemetry.NotificationsPushed, "{notification}", "Notifications pushed to the owner's connections");

    public void Add(string kind) => pushed.Add(1, new KeyValuePair<string, object?>("taskflow.notification.kind", kind));
}

/// <summary>
/// A push only hands the message to the owner's connections, so what bounds a burst (ten thousand reminders in one
/// second) is how many notifications are on their way from the broker at once: MassTransit's default prefetch of twice
/// the processor count waits for an acknowledgement round trip every few messages. Batches one at a time, in the order
/// the worker published them, and single notifications one owner at a time, so each owner's pushes keep the order of
/// their ids.
/// </summary>
public sealed class LiveNotifierDefinition : ConsumerDefinition<LiveNotifier>
{
    private const int InFlight = 256;

    public LiveNotifierDefinition() => ConcurrentMessageLimit = InFlight;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<LiveNotifier> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = InFlight;
        var partitioner = endpointConfigurator.CreatePartitioner(64);
        consumerConfigurator.Message<NotificationAdded>(m => m.UsePartitioner(partitioner, c => c.Message.OwnerId));
        var inTurn = endpointConfigurator.CreatePartitioner(1);
        consumerConfigurator.Message<NotificationsAdded>(m => m.UsePartitioner(inTurn, _ => Guid.Empty));
    }
}

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
