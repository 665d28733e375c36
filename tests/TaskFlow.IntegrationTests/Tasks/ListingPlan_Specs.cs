using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Tasks;

/// <summary>
/// One user with 100,000 tasks among 200,000: each listing the API sends must be answered from an index,
/// never by reading the table or sorting all of a user's tasks. Asserts on PostgreSQL's own plan, not on time.
/// </summary>
[NonParallelizable]
public class When_a_user_with_100000_tasks_lists_them
{
    private const int TasksOfTheUser = 100_000;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private TestDatabase database = null!;
    private TaskFlowApiFactory api = null!;
    private HttpClient user = null!;
    private readonly ListingCommands commands = new();

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        database = await TaskFlowDatabase.CreateAsync("plans");
        api = new TaskFlowApiFactory(database.ConnectionString, IntegrationSetup.Broker.ConnectionString, services: s => s.AddSingleton<IInterceptor>(commands));
        user = await api.NewUserAsync();
        var owner = JsonDocument.Parse(await user.GetStringAsync("/api/v1/accounts/me")).RootElement.GetProperty("id").GetGuid();
        using var neighbour = await api.NewUserAsync();
        var other = JsonDocument.Parse(await neighbour.GetStringAsync("/api/v1/accounts/me")).RootElement.GetProperty("id").GetGuid();

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        foreach (var ownerId in new[] { owner, other })
        {
            await using var seed = new NpgsqlCommand("""
                INSERT INTO tasks (id, owner_id, title, description, priority, tags, status, due_local, due_all_day, due_time_zone, due_at,
                                   reminder_offsets, recurrence, version, created_at, updated_at, completed_at)
                SELECT gen_random_uuid(), @owner, 'Task ' || i, CASE WHEN i % 7 = 0 THEN 'quarterly report for client ' || i END,
                       i % 4, ARRAY['tag' || (i % 20), 'all'], CASE WHEN i % 5 = 0 THEN 'completed' ELSE 'open' END,
                       d, CASE WHEN i % 10 = 0 THEN NULL ELSE false END, CASE WHEN i % 10 = 0 THEN NULL ELSE 'UTC' END,
                       CASE WHEN i % 10 = 0 THEN NULL ELSE d AT TIME ZONE 'UTC' END,
                       '{}', NULL, 1, now() - i * interval '1 minute', now(), NULL
                FROM generate_series(1, @count) AS i,
                     LATERAL (SELECT CASE WHEN i % 10 = 0 THEN NULL ELSE timestamp '2026-01-01' + i * interval '37 minutes' END AS d) AS due
                """, connection);
            seed.Parameters.AddWithValue("owner", ownerId);
            seed.Parameters.AddWithValue("count", TasksOfTheUser);
            seed.CommandTimeout = 300;
            await seed.ExecuteNonQueryAsync();
        }
        await using var analyze = new NpgsqlCommand("ANALYZE tasks", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    [OneTimeTearDown]
    public async Task DropAsync()
    {
        user.Dispose();
        await api.DisposeAsync();
        await database.DisposeAsync();
    }

    [TestCase("?sort=due", "ix_tasks_owner_due")]
    [TestCase("?sort=due&order=desc", "ix_tasks_owner_due")]
    [TestCase("?sort=priority&order=desc", "ix_tasks_owner_priority")]
    [TestCase("?sort=created&order=desc", "ix_tasks_owner_created")]
    [TestCase("?sort=title", "ix_tasks_owner_title")]
    [TestCase("?sort=due&status=open&tag=tag3", "ix_tasks_owner_due")]
    [TestCase("?sort=due&overdue=true", "ix_tasks_owner_due")]
    public async Task Should_read_pages_in_index_order_without_sorting(string query, string index)
    {
        var firstPage = await user.GetJsonAsync($"{TaskApi.Tasks}{query}&limit=50");
        var secondPage = await user.GetJsonAsync(firstPage.GetProperty("next").GetString()!);

        var plan = await ExplainAsync(commands.Last);

        Assert.That(secondPage.GetProperty("items").GetArrayLength(), Is.EqualTo(50));
        Assert.That(plan, Does.Contain($"\"Index Name\": \"{index}\""), plan);
        Assert.That(plan, Does.Not.Contain("\"Node Type\": \"Sort\""), plan);
        Assert.That(plan, Does.Not.Contain("\"Node Type\": \"Seq Scan\""), plan);
    }

    [Test]
    public async Task Should_search_words_through_the_text_index()
    {
        var page = await user.GetJsonAsync($"{TaskApi.Tasks}?q=quarterly report&limit=50");

        var plan = await ExplainAsync(commands.Last);

        Assert.That(page.GetProperty("items").GetArrayLength(), Is.EqualTo(50));
        Assert.That(plan, Does.Not.Contain("\"Node Type\": \"Seq Scan\""), plan);
        Assert.That(plan, Does.Contain("ix_tasks_"), plan);
    }

    /// <summary>Runs EXPLAIN ANALYZE on exactly the SQL and parameters the API sent; the plan goes into the assertion messages.</summary>
    private async Task<string> ExplainAsync(SentCommand sent)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sent.CommandText, connection);
        explain.Parameters.AddRange(sent.Parameters);
        var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!).RootElement[0];
        var pretty = JsonSerializer.Serialize(plan, Indented);
        await TestContext.Out.WriteLineAsync($"execution: {plan.GetProperty("Execution Time").GetDouble():F2} ms");
        return pretty;
    }

    /// <summary>Remembers the last listing query the API sent.</summary>
    private sealed class ListingCommands : DbCommandInterceptor
    {
        public SentCommand Last { get; private set; } = null!;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("FROM tasks", StringComparison.Ordinal) && command.CommandText.Contains("LIMIT", StringComparison.Ordinal))
                Last = new SentCommand(command.CommandText, command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToArray());
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    private sealed record SentCommand(string CommandText, NpgsqlParameter[] Parameters);
}
