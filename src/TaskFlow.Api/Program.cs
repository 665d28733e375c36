using TaskFlow.Api.Accounts;
using TaskFlow.Api.Assistants;
using TaskFlow.Api.Audit;
using TaskFlow.Api.Notifications;
using TaskFlow.Api.Series;
using TaskFlow.Api.Tasks;
using TaskFlow.Api.WebPage;
using TaskFlow.Components.Bus;
using TaskFlow.Components.Hosting;

var builder = WebApplication.CreateBuilder(args);

// Services
builder.AddTaskFlowLogging();
builder.AddTaskFlowTelemetry("taskflow-api");
builder.AddTaskFlowData();
builder.AddTaskFlowBus(BusRole.Api, bus => bus.AddTaskFlowLiveNotifier());
builder.AddTaskFlowHttp();
builder.AddTaskFlowOverload();
builder.AddTaskFlowAuth();
builder.AddTaskFlowLiveNotifications();
builder.AddTaskFlowAssistants();

var app = builder.Build();

// Pipeline: problem details first so every failure below speaks RFC 9457
app.UseTaskFlowHttp();
app.UseTaskFlowWebPage();

// Endpoints
app.MapTaskFlowHealth();
app.MapTaskFlowApiReference();
app.MapAccounts();
app.MapTasks();
app.MapSeries();
app.MapAudit();
app.MapNotifications();
app.MapTaskFlowLiveNotifications();
app.MapTaskFlowAssistants();

app.Run();
