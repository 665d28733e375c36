using Npgsql;
using TaskFlow.Components.Data;

namespace TaskFlow.IntegrationTests.Schema;

/// <summary>
/// A statement PostgreSQL refuses as it binds the values (a NUL in a sign-in or a search; here a division by zero, which
/// PostgreSQL folds while planning with the values) leaves the connection it ran on fit for the next request, with the
/// connection settings the hosts use. Found by the hostile-input spec: a valid sign-in answered 500 ("Received
/// unexpected backend message DataRow") right after one refused for a NUL on that connection.
/// </summary>
public class When_postgresql_refuses_a_statement
{
    private const string Statement = "SELECT n, 10 / $1 FROM generate_series(1, 3) AS n";

    [Test]
    public async Task Should_run_it_again_on_the_same_connection([Range(1, 8)] int refusedUse)
    {
        // One connection, so every use of the statement meets what the earlier ones left on it.
        var settings = DataExtensions.WithPoolDefaults(IntegrationSetup.Database.ConnectionString, maxPoolSize: 1);
        await using var source = NpgsqlDataSource.Create(settings);

        for (var use = 1; use <= refusedUse + 2; use++)
        {
            await using var command = source.CreateCommand(Statement);
            command.Parameters.Add(new NpgsqlParameter { Value = use == refusedUse ? 0 : 5 });
            if (use == refusedUse)
            {
                Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(), "division by zero");
                continue;
            }

            var rows = 0;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    rows++;
            }
            Assert.That(rows, Is.EqualTo(3), $"use {use}, after the refused use {refusedUse}");
        }
    }
}
