using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TaskFlow.Components.Data;

public static class DataExtensions
{
    public const string ConnectionStringName = "TaskFlow";

    /// <summary>PostgreSQL through EF Core, its readiness check, and the schema migration at start-up.</summary>
    public static IHostApplicationBuilder AddTaskFlowData(this IHostApplicationBuilder builder)
    {
        var connectionString = WithPoolDefaults(builder.Configuration.GetTaskFlowConnectionString());
        builder.Services.AddDbContext<TaskFlowDbContext>((services, options) => options
            .UseNpgsql(connectionString)
            .UseSnakeCaseNamingConvention()
            // Registered interceptors (diagnostics, tests that read the SQL sent) join every context.
            .AddInterceptors(services.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddDbContextCheck<TaskFlowDbContext>("postgresql", tags: ["ready"]);

        // Opt-out for deployments that run the migrate command as a separate step before rollout.
        if (builder.Configuration.GetValue("Database:MigrateOnStartup", true))
            builder.Services.AddHostedService<MigrateOnStartup>();
        return builder;
    }

    /// <summary>
    /// What a connection string leaves out of the pool settings, chosen for TaskFlow: PostgreSQL's max_connections
    /// (100 by default) is shared by every API, worker and their scheduler, and Npgsql's own limit of 100 per pool let one
    /// busy worker take them all (53300 in every other process); more connections than cores commit no faster. The
    /// same few statements run for every task and message, so each connection prepares them once and PostgreSQL skips
    /// parsing and planning them afterwards.
    /// </summary>
    public static string WithPoolDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Overlaps(["MaximumPoolSize", "MaxPoolSize"]))
            builder.MaxPoolSize = 25;
        if (!given.Contains("MaxAutoPrepare"))
            builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }

    public static string GetTaskFlowConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");

    /// <summary>Runs before the host starts serving, so no request ever meets an old schema.</summary>
    private sealed class MigrateOnStartup(IConfiguration configuration, ILogger<SchemaMigrator> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            new SchemaMigrator(configuration.GetTaskFlowConnectionString(), logger).MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
