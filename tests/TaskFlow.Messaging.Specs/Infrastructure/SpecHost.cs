using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>One "process": a generic host with the spec DbContext, MassTransit on the fixture's virtual host, and a recorder.</summary>
public sealed class SpecHost : IAsyncDisposable
{
    private readonly IHost host;

    private SpecHost(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;
    public Recorder Recorder => host.Services.GetRequiredService<Recorder>();
    public IBusControl Bus => host.Services.GetRequiredService<IBusControl>();

    /// <summary>
    /// Connections a spec host's DbContext opens at most; a scheduler's store derives its own pool from it, no larger.
    /// Npgsql's default of 100 is all of PostgreSQL's max_connections, which every spec on the server shares, so a
    /// spec's two hosts under load could starve the others into 53300 "too many clients". The integration specs'
    /// hosts take the same 20 (TaskFlowDatabase.HostPoolSize).
    /// </summary>
    public const int MaxPoolSize = 20;

    /// <summary>The database's connection string with the host's pool capped at <see cref="MaxPoolSize"/>.</summary>
    public static string ConnectionString(TestDatabase database) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = MaxPoolSize }.ConnectionString;

    public static async Task<SpecHost> StartAsync(TestDatabase database, TestVirtualHost virtualHost, Action<IBusRegistrationConfigurator> configure,
        bool waitUntilStarted = true, Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? configureBus = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(new ProgressLoggerProvider()).SetMinimumLevel(
            Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("TASKFLOW_TEST_LOG_LEVEL"), out var level) ? level : LogLevel.Warning);
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddDbContext<SpecDbContext>((services, options) => options
            .UseNpgsql(ConnectionString(database))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(services.GetServices<IInterceptor>()));
        builder.Services.AddMassTransit(x =>
        {
            configure(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(virtualHost.Host, virtualHost.Port, virtualHost.Name, h =>
                {
                    h.Username(virtualHost.Username);
                    h.Password(virtualHost.Password);
                });
                configureBus?.Invoke(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = waitUntilStarted;
            o.StartTimeout = Recorder.Deadline;
            o.StopTimeout = Recorder.Deadline;
        });

        var host = builder.Build();
        await host.StartAsync();
        return new SpecHost(host);
    }

    /// <summary>Publishes in a request-like scope: the messages go through the bus outbox and leave only if the save commits.</summary>
    public async Task PublishAndCommitAsync(params object[] messages)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpecDbContext>();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        foreach (var message in messages)
            await publish.Publish(message);
        db.Notes.Add(new Note { Id = Guid.NewGuid(), Text = "business change" });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Publishes a marker straight to the broker and waits until every named consumer got it: the endpoints run one
    /// message at a time, so whatever reached their queues before it has been consumed.
    /// </summary>
    public async Task DrainAsync(params string[] consumers)
    {
        var marker = new Marker(Guid.NewGuid());
        await Bus.Publish(marker);
        await Recorder.WaitUntilAsync(
            items => consumers.All(c => items.Any(i => i.Consumer == c && Equals(i.Message, marker))), $"marker at {string.Join(", ", consumers)}");
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        if (host is IAsyncDisposable asyncDisposable)
            await asyncDisposable.DisposeAsync();
        else
            host.Dispose();
    }
}
