using System.Globalization;
using Npgsql;

namespace TaskFlow.Testing;

/// <summary>A throw-away database on the real PostgreSQL server; dropped, whoever is still connected, when disposed.</summary>
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

    /// <param name="prepare">Builds the schema the test needs, given the new database's connection string.</param>
    public static async Task<TestDatabase> CreateAsync(string purpose, Func<string, Task>? prepare = null)
    {
        var name = $"taskflow_test_{purpose}_{Guid.NewGuid():N}"[..48];
        await ExecuteAsync(ServerConnectionString, $"CREATE DATABASE \"{name}\"");
        var database = new TestDatabase(name, new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString);
        if (prepare is not null)
            await prepare(database.ConnectionString);
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

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) =>
        Convert.ToInt64(await ScalarAsync<object>(sql, parameters), CultureInfo.InvariantCulture);

    public Task ExecuteAsync(string sql) => ExecuteAsync(ConnectionString, sql);

    public async Task<List<string>> ReadStringsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // FORCE ends our own sessions, but not a superuser's: autovacuum may be working on a freshly filled
        // database, and the drop has to wait until it is done.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await ExecuteAsync(ServerConnectionString, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse
                                              && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
