using Microsoft.Extensions.Logging.Abstractions;
using TaskFlow.Components.Data;

namespace TaskFlow.IntegrationTests.Infrastructure;

public static class TaskFlowDatabase
{
    /// <summary>A throw-away database with TaskFlow's schema, applied by the production migrator from migrations/.</summary>
    public static Task<TestDatabase> CreateAsync(string purpose, bool migrate = true) =>
        TestDatabase.CreateAsync(purpose, migrate ? connectionString => new SchemaMigrator(connectionString, NullLogger.Instance).MigrateAsync() : null);
}
