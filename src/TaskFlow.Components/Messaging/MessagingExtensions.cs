using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using TaskFlow.Components.Data;
using TaskFlow.Components.Reminders;
using TaskFlow.Contracts;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Scheduling;

namespace TaskFlow.Components.Messaging;

public static class MessagingExtensions
{
    public const string ConnectionStringName = "RabbitMq";
    public const string DefaultConnectionString = "amqp://taskflow:taskflow@127.0.0.1:5672/";

    /// <summary>The worker's queue that keeps the users' notification inboxes.</summary>
    public const string NotificationQueue = "taskflow-notifications";

    /// <summary>Each API instance's own temporary queue for pushing events to its browsers.</summary>
    public const string LiveQueuePrefix = "taskflow-live-";

    /// <summary>Where ScheduleSend and state-machine schedules go: the worker's scheduler endpoint.</summary>
    public static readonly Uri SchedulerAddress = TaskFlowScheduler.Address();

    /// <summary>
    /// MassTransit on RabbitMQ. Exchanges take the events' names (taskflow.tasks.created, ...), queues the
    /// consumers' (taskflow-audit, ...), each with an _error queue beside it. A failing message is tried
    /// again after growing pauses (for about a minute while PostgreSQL is unreachable), then moved to the _error queue.
    /// Messages published in a request are stored with the change and delivered after commit (bus outbox, in the API);
    /// consumers run behind an inbox, so a redelivered message is processed once (worker), unless their own keys make a
    /// repeat harmless (the scheduler, the audit log, the notification inbox, the reminder planner).
    /// </summary>
    public static IHostApplicationBuilder AddTaskFlowMessaging(
        this IHostApplicationBuilder builder, MessagingRole role, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var broker = new Uri(builder.Configuration.GetConnectionString(ConnectionStringName) ?? DefaultConnectionString);
        var quorum = QuorumQueues.Enabled(builder.Configuration);

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit otherwise reports usage to its vendor over the internet; TaskFlow's traffic stays on the broker.
            bus.DisableUsageTelemetry();
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "rabbitmq";
                health.Tags.Add("ready");
                // The API keeps accepting changes while the broker is away (they wait in the outbox), so an outage
                // only degrades it; a worker without the broker cannot work, so it is not ready.
                health.MinimalFailureStatus = role == MessagingRole.Api ? HealthStatus.Degraded : HealthStatus.Unhealthy;
            });
            bus.AddTaskFlowOutbox<TaskFlowDbContext>(outbox =>
            {
                // Events of one task leave in commit order; different tasks in parallel.
                outbox.PartitionKey(message => message is ITaskEvent e ? e.TaskId.ToString() : null);
                if (role == MessagingRole.Api)
                {
                    outbox.DisableInboxCleanupService();
                    outbox.UseBusOutbox();
                }
            });
            if (role == MessagingRole.Worker)
                bus.AddTaskFlowMessageScheduler<TaskFlowDbContext>();
            bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                // Two retry filters that never handle the same failure: MassTransit's outer retry filter gives up on a
                // failure an inner one has handled, so nesting policies over the same exceptions retries only as often
                // as the innermost. PostgreSQL away (restarting, failing over) is waited out for about a minute before
                // a message counts as failed; anything else is tried again after growing pauses, each try in a fresh
                // inbox transaction, and then moved to the _error queue.
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(DatabaseOutage.Caused);
                    retry.Intervals(DatabaseOutage.Pauses);
                });
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Ignore<Exception>(DatabaseOutage.Caused);
                    retry.Incremental(3, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
                });
                // The scheduler stores each message idempotently by its token in its own statement: an inbox would
                // only add three transactions per message to the busiest queue of a reminder burst.
                // A live push writes nothing to the database, and the notification inbox and the audit log store a batch
                // of events idempotently by their ids in one transaction: the inbox's transactions would only slow them down.
                // The reminder planner records its plans idempotently by task version and sends after its commit, and fired
                // reminders are recorded by one idempotent statement a batch (ADR 0007).
                if (name != TaskFlowSchedulerOptions.DefaultQueueName && name != NotificationQueue && name != Audit.AuditConsumerDefinition.Queue
                    && name != ReminderPlannerDefinition.Queue && name != FiredRemindersDefinition.Queue
                    && !name.StartsWith(LiveQueuePrefix, StringComparison.Ordinal))
                    endpoint.UseTaskFlowOutbox<TaskFlowDbContext>(context);
                endpoint.UseQuorumQueue(name, quorum);
            });

            bus.AddMessageScheduler(SchedulerAddress);
            configure?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker, host =>
                {
                    var (user, password) = Credentials(broker);
                    host.Username(user);
                    host.Password(password);
                });
                rabbit.UseMessageScheduler(SchedulerAddress);
                rabbit.ConfigureEndpoints(context);
            });
        });

        if (role == MessagingRole.Worker)
            builder.Services.AddHealthChecks().AddCheck<ConsumingHealthCheck>("rabbitmq-consuming", tags: ["ready"]);

        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            // Start serving without the broker (the outbox holds messages); on shutdown let in-flight messages finish.
            options.WaitUntilStarted = false;
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(45));
        return builder;
    }

    private static (string User, string Password) Credentials(Uri broker)
    {
        var parts = Uri.UnescapeDataString(broker.UserInfo).Split(':', 2);
        return parts.Length == 2 && parts[0].Length > 0 ? (parts[0], parts[1]) : ("guest", "guest");
    }
}

/// <summary>What a host does with the bus.</summary>
public enum MessagingRole
{
    /// <summary>Publishes through the bus outbox and delivers it; consumes only to push events to its own browsers.</summary>
    Api,

    /// <summary>Runs the consumers: each behind the inbox, or idempotent by a key of its own where a batch stores it.</summary>
    Worker,
}
