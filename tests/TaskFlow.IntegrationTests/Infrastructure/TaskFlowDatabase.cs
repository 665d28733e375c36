using Microsoft.Extensions.Logging.Abstractions;
using TaskFlow.Components.Data;

namespace TaskFlow.IntegrationTests.Infrastructure;

public static class TaskFlowDatabase
{
    /// <summary>
    /// Connections each host of a spec opens at most (Database:MaxPoolSize), unless the spec sets its own. The specs
    /// share one PostgreSQL (max_connections 100) with their own queries and, in the fault specs, a second host of a
    /// kind; at the production default of 40 an API and a worker with its scheduler store reached PostgreSQL's limit
    /// under a reminder burst, and consumers that met 53300 through every retry lost their events to _error. A
    /// deployment sizes its pools to its database in the same way (docs/operations.md).
    /// </summary>
    public const string HostPoolSize = "20";

    /// <summary>A throw-away database with TaskFlow's schema, applied by the production migrator from migrations/.</summary>
    public static Task<TestDatabase> CreateAsync(string purpose, bool migrate = true) =>
        TestDatabase.CreateAsync(purpose, migrate ? connectionString => new SchemaMigrator(connectionString, NullLogger.Instance).MigrateAsync() : null);
}
