using TaskFlow.Components.Bus;
using TaskFlow.Components.Data;
using TaskFlow.Components.Hosting;

// `migrate` applies the schema and exits: the explicit step for deployments that migrate before rollout.
if (args is ["migrate", ..])
{
    var configuration = new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(args[1..])
        .Build();
    using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
    await new SchemaMigrator(configuration.GetTaskFlowConnectionString(), loggers.CreateLogger<SchemaMigrator>()).MigrateAsync();
    return;
}

var builder = WebApplication.CreateBuilder(args);

// Services
builder.AddTaskFlowLogging();
builder.AddTaskFlowTelemetry("taskflow-worker");
builder.AddTaskFlowData();
builder.AddTaskFlowBus(BusRole.Worker, bus => bus.AddTaskFlowWorkerConsumers());

var app = builder.Build();

app.MapTaskFlowHealth();

app.Run();
