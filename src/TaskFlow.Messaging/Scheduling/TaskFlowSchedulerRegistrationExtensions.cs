using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using MassTransit.Scheduling;
using Quartz;
using TaskFlow.Messaging.Scheduling;

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

        // Named, so an application's own Quartz scheduler (the unnamed one) is left alone. Quartz 4 keeps its scheduler
        // repository per container, not per process, so several hosts in one process may share a name (the specs do).
        configurator.AddQuartz(options.SchedulerName, q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.GenerateInstanceId = true;
                // One trigger per bucket: little to batch. A small fire-ahead hides Quartz's own latency; the job
                // still waits for each message's due time.
                s.MaxBatchSize = options.MaxConcurrency;
                s.BatchTriggerAcquisitionFireAheadTimeWindow = TimeSpan.FromMilliseconds(250);
            });
            q.UseDefaultThreadPool(options.MaxConcurrency);
            q.AddJob<ScheduledMessageJob<TDbContext>>(j => j.WithIdentity(BucketTriggers.JobKey).StoreDurably().RequestRecovery());
            q.AddJob<RecurringMessageJob>(j => j.WithIdentity(BucketTriggers.RecurringJobKey).StoreDurably().RequestRecovery());
            q.UsePersistentStore(s =>
            {
                s.UsePostgres(source => source.DataSourceFactory = services => NpgsqlDataSource.Create(StoreConnectionString<TDbContext>(services, options)));
                s.UseSystemTextJsonSerializer();
                s.UseClustering();
                s.ConfigureStore(store =>
                {
                    store.TablePrefix = "qrtz_";
                    if (options.MisfireThreshold is { } threshold)
                        store.MisfireThreshold = threshold;
                });
            });
        });
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

    /// <summary>The configured connection string as it is, else the DbContext's with the store's own pool size.</summary>
    private static string StoreConnectionString<TDbContext>(IServiceProvider services, TaskFlowSchedulerOptions options)
        where TDbContext : DbContext
    {
        if (options.ConnectionString is { } configured)
            return configured;
        using var scope = services.CreateScope();
        var builder = new NpgsqlConnectionStringBuilder(scope.ServiceProvider.GetRequiredService<TDbContext>().Database.GetConnectionString()
            ?? throw new InvalidOperationException($"{typeof(TDbContext).Name} has no connection string; set TaskFlowSchedulerOptions.ConnectionString."));
        builder.MaxPoolSize = Math.Min(builder.MaxPoolSize, options.StoreMaxPoolSize);
        builder.MinPoolSize = Math.Min(builder.MinPoolSize, builder.MaxPoolSize);
        return builder.ConnectionString;
    }
}

/// <summary>Where the scheduler service listens, for MassTransit's <c>AddMessageScheduler</c>/<c>UseMessageScheduler</c>.</summary>
public static class TaskFlowScheduler
{
    public static Uri Address(string queueName = TaskFlowSchedulerOptions.DefaultQueueName) => new($"queue:{queueName}");
}
