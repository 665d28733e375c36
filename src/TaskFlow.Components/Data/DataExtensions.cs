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
        var connectionString = builder.Configuration.GetTaskFlowPooledConnectionString();
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
    /// Connections one host opens at most unless Database:MaxPoolSize says otherwise: 8 a core, at least 16 and at most
    /// 40. PostgreSQL's own guidance puts the connections it can keep busy at about twice its cores, so more than that
    /// only wait inside it, and each one it keeps counts against its max_connections, which refuses the one beyond with
    /// 53300 and so fails a request or a consumer. At most 40 a
    /// host keeps `up`, `bench` and `test` side by side within the max_connections that infra/taskflow.sh provisions
    /// (docs/operations.md, "Connection budget"); the API's overload bound follows its pool (OverloadOptions).
    /// </summary>
    public static int DefaultMaxPoolSize { get; } = Math.Clamp(8 * Environment.ProcessorCount, 16, LargestDefaultPoolSize);

    /// <summary>The default pool of a host with 5 cores or more; the connection budget counts every host at it.</summary>
    public const int LargestDefaultPoolSize = 40;

    /// <summary>
    /// The pool is bounded to <paramref name="maxPoolSize"/> unless the connection string sets its own bound.
    /// Statements are not prepared automatically unless the connection string asks (<c>Max Auto Prepare</c>): Npgsql
    /// 10.0.3 keeps a statement whose preparing run PostgreSQL refused as it bound the values as prepared without its
    /// result shape (npgsql/npgsql#6391), and the next run of it on that connection fails with "Received unexpected
    /// backend message DataRow". A sign-in refused for a NUL made the next valid sign-in on that connection a 500.
    /// A connection back in the pool is not reset (<c>DISCARD ALL</c>) unless the connection string asks: TaskFlow keeps
    /// no session state on pooled connections (no session SET, temporary table, prepared statement or advisory lock held
    /// past a use; LISTEN has a connection of its own, and Npgsql still rolls back a transaction left open), and the
    /// reset cost a PostgreSQL transaction per use: 8.8 transactions per task create with it, 4.6 without, and the idle
    /// background from 40 to 22 a second.
    /// </summary>
    public static string WithPoolDefaults(string connectionString, int? maxPoolSize = null)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("MaximumPoolSize") && !given.Contains("MaxPoolSize"))
            builder.MaxPoolSize = maxPoolSize ?? DefaultMaxPoolSize;
        if (!given.Contains("NoResetOnClose"))
            builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>The connection string with the pool bound from Database:MaxPoolSize and the defaults above.</summary>
    public static string GetTaskFlowPooledConnectionString(this IConfiguration configuration) =>
        WithPoolDefaults(configuration.GetTaskFlowConnectionString(), configuration.GetValue<int?>("Database:MaxPoolSize"));

    /// <summary>Connections this host's pool opens at most, as the connection string or the settings bound it.</summary>
    public static int GetTaskFlowMaxPoolSize(this IConfiguration configuration) =>
        new NpgsqlConnectionStringBuilder(configuration.GetTaskFlowPooledConnectionString()).MaxPoolSize;

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
