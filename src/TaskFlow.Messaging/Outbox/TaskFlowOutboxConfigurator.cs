using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskFlow.Messaging.Inbox;
using TaskFlow.Messaging.Outbox;

namespace TaskFlow.Messaging.Outbox;

internal sealed class TaskFlowOutboxConfigurator<TDbContext>(IBusRegistrationConfigurator services)
    : ITaskFlowOutboxConfigurator, ITaskFlowBusOutboxConfigurator
    where TDbContext : DbContext
{
    private bool inboxCleanup = true;
    private bool busOutbox;
    private bool deliveryService = true;
    private bool notificationListener = true;
    private Func<object, string?> partitionKey = _ => null;

    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan QueryDelay { get; set; } = TimeSpan.FromSeconds(10);
    public int QueryMessageLimit { get; set; } = 100;
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public int MessageDeliveryLimit { get; set; } = 100;
    public TimeSpan MessageDeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public int DeliveryAttemptLimit { get; set; } = 10;

    public void DisableInboxCleanupService() => inboxCleanup = false;
    public void DisableDeliveryService() => deliveryService = false;
    public void DisableNotificationListener() => notificationListener = false;

    public void PartitionKey(Func<object, string?> partitionKey) =>
        this.partitionKey = partitionKey ?? throw new ArgumentNullException(nameof(partitionKey));

    public void UseBusOutbox(Action<ITaskFlowBusOutboxConfigurator>? configure = null)
    {
        busOutbox = true;
        configure?.Invoke(this);
    }

    public void Configure(Action<ITaskFlowOutboxConfigurator>? configure)
    {
        configure?.Invoke(this);
        ArgumentOutOfRangeException.ThrowIfLessThan(QueryMessageLimit, 1, nameof(QueryMessageLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(MessageDeliveryLimit, 1, nameof(MessageDeliveryLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(DeliveryAttemptLimit, 1, nameof(DeliveryAttemptLimit));

        // One clock for the outbox, the inbox and the scheduler; a host (or a spec) may register its own first.
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TaskFlowOutboxOptions<TDbContext>>().Configure(options =>
        {
            options.PartitionKey = partitionKey;
            options.DeliveryAttemptLimit = DeliveryAttemptLimit;
        });
        services.TryAddScoped<IOutboxContextFactory<TDbContext>, InboxOutboxContextFactory<TDbContext>>();

        if (inboxCleanup)
        {
            services.AddOptions<InboxCleanupServiceOptions<TDbContext>>().Configure(options =>
            {
                options.DuplicateDetectionWindow = DuplicateDetectionWindow;
                options.QueryDelay = QueryDelay;
                options.QueryMessageLimit = QueryMessageLimit;
                options.QueryTimeout = QueryTimeout;
            });
            services.AddHostedService<InboxCleanupService<TDbContext>>();
        }

        if (!busOutbox)
            return;

        services.ReplaceScoped<IScopedBusContextProvider<IBus>, BusOutboxScopedContextProvider<TDbContext>>();
        services.AddOptions<OutboxDeliveryServiceOptions>().Configure(options =>
        {
            options.QueryDelay = QueryDelay;
            options.QueryMessageLimit = QueryMessageLimit;
            options.QueryTimeout = QueryTimeout;
            options.MessageDeliveryLimit = MessageDeliveryLimit;
            options.MessageDeliveryTimeout = MessageDeliveryTimeout;
        });
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
