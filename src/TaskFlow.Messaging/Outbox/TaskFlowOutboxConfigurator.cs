using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskFlow.Messaging.Inbox;

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
        services.AddTaskFlowInbox<TDbContext>(inboxCleanup ? options =>
        {
            options.DuplicateDetectionWindow = DuplicateDetectionWindow;
            options.QueryDelay = QueryDelay;
            options.QueryMessageLimit = QueryMessageLimit;
            options.QueryTimeout = QueryTimeout;
        } : null);
        if (busOutbox)
        {
            services.AddTaskFlowBusOutbox<TDbContext>(options =>
            {
                options.QueryDelay = QueryDelay;
                options.QueryMessageLimit = QueryMessageLimit;
                options.QueryTimeout = QueryTimeout;
                options.MessageDeliveryLimit = MessageDeliveryLimit;
                options.MessageDeliveryTimeout = MessageDeliveryTimeout;
            }, deliveryService, notificationListener);
        }
    }
}
