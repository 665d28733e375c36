using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskFlow.Components.Data;
using TaskFlow.Components.Hosting;
using TaskFlow.Components.Bus;
using TaskFlow.Components.Recurrence;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>The worker's services (consumers on the real broker and database), composed as its Program composes them.</summary>
public static class WorkerHost
{
    /// <param name="consumers">Extra consumers a spec runs beside the worker's own.</param>
    /// <param name="configure">Settings and services a spec adds before the worker is composed (an exporter of its own).</param>
    public static Task<IHost> StartAsync(
        string databaseConnectionString, string brokerConnectionString, Action<MassTransit.IBusRegistrationConfigurator>? consumers = null,
        Action<IHostApplicationBuilder>? configure = null) =>
        StartWithAsync(databaseConnectionString, brokerConnectionString, bus =>
        {
            bus.AddTaskFlowWorkerConsumers();
            consumers?.Invoke(bus);
        }, configure);

    /// <summary>A worker host that runs only <paramref name="consumers"/>: what one consumer costs, measured alone.</summary>
    public static async Task<IHost> StartWithAsync(
        string databaseConnectionString, string brokerConnectionString, Action<MassTransit.IBusRegistrationConfigurator> consumers,
        Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:TaskFlow"] = databaseConnectionString,
            ["ConnectionStrings:RabbitMq"] = brokerConnectionString,
            ["Database:MigrateOnStartup"] = "false",
            ["Database:MaxPoolSize"] = TaskFlowDatabase.HostPoolSize,
        });
        configure?.Invoke(builder);
        builder.AddTaskFlowTelemetry("taskflow-worker");
        builder.AddTaskFlowData();
        builder.AddTaskFlowBus(BusRole.Worker, consumers);
        var host = builder.Build();
        await host.StartAsync();
        // The worker serves before its bus is up (WaitUntilStarted is off, as in production): wait as a readiness
        // probe would, so a spec never stops a half-started bus (which then does not drain its consumers).
        var health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        if (health != BusHealthStatus.Healthy)
            throw new InvalidOperationException($"The worker's bus did not become healthy: {health}.");
        return host;
    }
}
