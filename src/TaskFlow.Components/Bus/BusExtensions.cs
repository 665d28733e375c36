using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using TaskFlow.Components.Data;
using TaskFlow.Components.Notifications;
using TaskFlow.Contracts;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Scheduling;

namespace TaskFlow.Components.Bus;

public static class BusExtensions
{
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
    /// repeat harmless (the scheduler, the audit log, the notification store, the reminder planner).
    /// </summary>
    public static IHostApplicationBuilder AddTaskFlowBus(
        this IHostApplicationBuilder builder, BusRole role, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var broker = Broker.Address(builder.Configuration);
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
                health.MinimalFailureStatus = role == BusRole.Api ? HealthStatus.Degraded : HealthStatus.Unhealthy;
            });
            bus.AddTaskFlowOutbox<TaskFlowDbContext>(outbox =>
            {
                // Events of one task leave in commit order; different tasks in parallel.
                outbox.PartitionKey(message => message is ITaskEvent e ? e.TaskId.ToString() : null);
                if (role == BusRole.Api)
                {
                    outbox.DisableInboxCleanupService();
                    outbox.UseBusOutbox();
                }
            });
            if (role == BusRole.Worker)
                bus.AddTaskFlowMessageScheduler<TaskFlowDbContext>();
            bus.AddConfigureEndpointsCallback((context, name, endpoint) => endpoint.UseTaskFlowEndpointPolicies(context, name, quorum));

            bus.AddMessageScheduler(SchedulerAddress);
            configure?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Connect(broker);
                rabbit.UseMessageScheduler(SchedulerAddress);
                if (role == BusRole.Api)
                    rabbit.ConfigurePublish(publish => publish.UseFilter(new ChangeOriginFilter(context.GetRequiredService<IHttpContextAccessor>())));
                rabbit.ConfigureEndpoints(context);
            });
        });

        if (role == BusRole.Api)
            builder.Services.AddHttpContextAccessor();
        if (role == BusRole.Worker)
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
}
