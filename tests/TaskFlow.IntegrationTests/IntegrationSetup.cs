using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests;

/// <summary>One migrated database and one API host for the whole assembly; tests isolate themselves by registering their own users.</summary>
[SetUpFixture]
public sealed class IntegrationSetup
{
    private static TestDatabase? database;
    private static TaskFlowApiFactory? api;

    public static TestDatabase Database => database ?? throw new InvalidOperationException("The assembly set-up has not run.");
    public static TaskFlowApiFactory Api => api ?? throw new InvalidOperationException("The assembly set-up has not run.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        database = await TestDatabase.CreateAsync("api");
        api = new TaskFlowApiFactory(database.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (api is not null)
            await api.DisposeAsync();
        if (database is not null)
            await database.DisposeAsync();
    }
}
