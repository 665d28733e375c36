using Microsoft.Extensions.Hosting;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests;

/// <summary>
/// One migrated database, one broker virtual host, one API and one worker for the whole assembly;
/// tests isolate themselves by registering their own users.
/// </summary>
[SetUpFixture]
public sealed class IntegrationSetup
{
    private static TestDatabase? database;
    private static TestVirtualHost? broker;
    private static TaskFlowApiFactory? api;
    private static IHost? worker;

    public static TestDatabase Database => database ?? throw new InvalidOperationException("The assembly set-up has not run.");
    public static TestVirtualHost Broker => broker ?? throw new InvalidOperationException("The assembly set-up has not run.");
    public static TaskFlowApiFactory Api => api ?? throw new InvalidOperationException("The assembly set-up has not run.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        database = await TaskFlowDatabase.CreateAsync("api");
        broker = await TestVirtualHost.CreateAsync("api");
        api = new TaskFlowApiFactory(database.ConnectionString, broker.ConnectionString);
        worker = await WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (worker is not null)
        {
            await worker.StopAsync();
            worker.Dispose();
        }
        if (api is not null)
            await api.DisposeAsync();
        if (broker is not null)
            await broker.DisposeAsync();
        if (database is not null)
            await database.DisposeAsync();
    }
}
