using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaskFlow.Components.Data;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>A throw-away database on the real PostgreSQL server, migrated with the production scripts.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>Where the tests find the server; the test command provisions it on 127.0.0.1.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("TASKFLOW_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=taskflow;Password=taskflow;Database=postgres";

    public static async Task<TestDatabase> CreateAsync(string purpose, bool migrate = true)
    {
        var name = $"taskflow_test_{purpose}_{Guid.NewGuid():N}"[..48];
        await ExecuteOnServerAsync($"CREATE DATABASE \"{name}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true }.ConnectionString;
        var database = new TestDatabase(name, connectionString);
        if (migrate)
            await new SchemaMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        return database;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (parameterName, value) in parameters)
            command.Parameters.AddWithValue(parameterName, value);
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
