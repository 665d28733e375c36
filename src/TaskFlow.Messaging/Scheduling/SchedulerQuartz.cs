using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>The clustered Quartz scheduler that fires the buckets, with its job store in the DbContext's database.</summary>
internal static class SchedulerQuartz
{
    public static void AddSchedulerQuartz<TDbContext>(this IBusRegistrationConfigurator configurator, TaskFlowSchedulerOptions options)
        where TDbContext : DbContext
    {
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
            q.AddJob<ScheduledMessageJob<TDbContext>>(j => j.WithIdentity(SchedulerJobs.JobKey).StoreDurably().RequestRecovery());
            q.AddJob<RecurringMessageJob>(j => j.WithIdentity(SchedulerJobs.RecurringJobKey).StoreDurably().RequestRecovery());
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
