using MassTransit;
using MassTransit.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// The message scheduler service, shaped like MassTransit.Quartz's <c>AddQuartzConsumers</c>: consumers of
/// <c>ScheduleMessage</c>, <c>CancelScheduledMessage</c>, <c>ScheduleRecurringMessage</c> and
/// <c>CancelScheduledRecurringMessage</c> on one queue, and a clustered Quartz scheduler that sends the messages when due.
/// Every process that schedules points MassTransit at the queue with its own calls:
/// <c>x.AddMessageScheduler(TaskFlowScheduler.Address())</c> and <c>cfg.UseMessageScheduler(TaskFlowScheduler.Address())</c>.
/// In the process that runs the service, consumers behind the TaskFlow inbox of the same DbContext schedule in their
/// own transaction instead (<see cref="TaskFlowSchedulerOptions.InboxScheduling"/>).
/// </summary>
public static class TaskFlowSchedulerRegistrationExtensions
{
    /// <summary>
    /// Runs the scheduler service in this process, storing messages in <typeparamref name="TDbContext"/> (which maps
    /// <see cref="SchedulerModelBuilderExtensions.AddTaskFlowSchedulerEntities"/>) and Quartz's qrtz_* tables in the same database.
    /// </summary>
    public static IBusRegistrationConfigurator AddTaskFlowMessageScheduler<TDbContext>(this IBusRegistrationConfigurator configurator,
        Action<TaskFlowSchedulerOptions>? configure = null)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(configurator);
        var options = new TaskFlowSchedulerOptions();
        configure?.Invoke(options);
        options.Validate();

        configurator.TryAddSingleton(TimeProvider.System);
        configurator.AddSingleton(options);
        configurator.AddSingleton<BucketTriggers>();
        configurator.AddSingleton<SchedulerCounters>();
        configurator.AddSingleton<ScheduledMessageSender>();
        configurator.AddSingleton<RunningJobs>();
        configurator.AddSingleton<BucketAnnouncer<TDbContext>>();
        configurator.AddSingleton<BucketFiring<TDbContext>>();
        if (options.InboxScheduling)
            configurator.AddSingleton<InboxScheduling<TDbContext>>();

        configurator.AddConsumer<ScheduleMessageConsumer<TDbContext>>((_, consumer) => consumer.Options<BatchOptions>(batch => batch
                .SetMessageLimit(options.ConcurrentMessageLimit / 2)
                .SetConcurrencyLimit(2)
                .SetTimeLimit(options.Gathering)
                .SetTimeLimitStart(BatchTimeLimitStart.FromFirst)))
            .Endpoint(e => ConfigureEndpoint(e, options));
        configurator.AddConsumer<CancelScheduledMessageConsumer<TDbContext>>().Endpoint(e => ConfigureEndpoint(e, options));
        configurator.AddConfigureEndpointsCallback((_, name, endpoint) =>
        {
            if (name != options.QueueName)
                return;
            // A token's schedule and cancel are taken in the order they arrive: a cancel that overtook its schedule
            // (waiting in a batch) would delete nothing, and the message would go out. A message holds its partition
            // until its batch is consumed (MassTransit acknowledges a batched message only then).
            var partitioner = endpoint.CreatePartitioner(options.ConcurrentMessageLimit);
            endpoint.UsePartitioner<ScheduleMessage>(partitioner, c => c.Message.CorrelationId);
            endpoint.UsePartitioner<CancelScheduledMessage>(partitioner, c => c.Message.TokenId);
        });

        configurator.AddSchedulerQuartz<TDbContext>(options);
        configurator.AddHostedService<SchedulerLifetime>();
        configurator.AddHostedService<OverdueBucketSweeper<TDbContext>>();
        configurator.AddHostedService<BucketShareListener<TDbContext>>();
        return configurator;
    }

    private static void ConfigureEndpoint(IEndpointRegistrationConfigurator endpoint, TaskFlowSchedulerOptions options)
    {
        endpoint.Name = options.QueueName;
        endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
    }
}
