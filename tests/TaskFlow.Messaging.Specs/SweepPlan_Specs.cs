using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaskFlow.Messaging.Scheduling;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// Every worker sweeps for overdue scheduled messages every few seconds. With 200,000 messages waiting for their time
/// (and none overdue, the usual case) the sweep must read an index range, never the table. Asserts on PostgreSQL's plan.
/// </summary>
[NonParallelizable]
public class When_the_overdue_sweep_runs_over_a_large_schedule
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Test]
    public async Task Should_read_the_bucket_index_not_the_table()
    {
        await using var database = await SpecDatabase.CreateAsync("sweepplan");
        await database.ExecuteAsync("""
            INSERT INTO scheduled_message (token_id, due_time, bucket, created, destination_address, message_id, content_type, message_type, body)
            SELECT gen_random_uuid(), d, date_trunc('second', d), now(), 'queue:reminders', gen_random_uuid(), 'application/json', 'urn:message:x', '{}'
            FROM generate_series(1, 200000) AS i, LATERAL (SELECT now() + i * interval '7 seconds' AS d) AS due;
            ANALYZE scheduled_message;
            """);
        var sweeps = new SweepCommands();
        await using var services = new ServiceCollection()
            .AddDbContext<SpecDbContext>(o => o.UseNpgsql(SpecHost.ConnectionString(database)).UseSnakeCaseNamingConvention().AddInterceptors(sweeps))
            .BuildServiceProvider();
        var options = new TaskFlowSchedulerOptions();
        using var triggers = new BucketTriggers(services, options, TimeProvider.System);
        var sweeper = new OverdueBucketSweeper<SpecDbContext>(services.GetRequiredService<IServiceScopeFactory>(), triggers, options,
            TimeProvider.System, NullLogger<OverdueBucketSweeper<SpecDbContext>>.Instance);

        await sweeper.SweepAsync(CancellationToken.None);

        Assert.That(sweeps.Last, Is.Not.Null, "the sweep queried scheduled_message");
        var plan = await ExplainAsync(database, sweeps.Last!.Value);
        Assert.That(plan, Does.Contain("\"Index Name\": \"ix_scheduled_message_bucket_due_time\""), plan);
        Assert.That(plan, Does.Not.Contain("\"Node Type\": \"Seq Scan\""), plan);
        Assert.That(plan, Does.Contain("\"Index Cond\": \"((bucket \\u003C"), "the range is on the index's leading column: " + plan);
        Assert.That(SharedBlocks(plan), Is.LessThan(16), "pages read: a few, not the whole index");
    }

    private static long SharedBlocks(string plan)
    {
        var top = JsonDocument.Parse(plan).RootElement.GetProperty("Plan");
        return top.GetProperty("Shared Hit Blocks").GetInt64() + top.GetProperty("Shared Read Blocks").GetInt64();
    }

    private static async Task<string> ExplainAsync(TestDatabase database, (string Sql, NpgsqlParameter[] Parameters) sent)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sent.Sql, connection);
        explain.Parameters.AddRange(sent.Parameters);
        var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!).RootElement[0];
        await TestContext.Out.WriteLineAsync($"execution: {plan.GetProperty("Execution Time").GetDouble():F2} ms");
        return JsonSerializer.Serialize(plan, Indented);
    }

    /// <summary>Remembers the last query on scheduled_message the sweep sent.</summary>
    private sealed class SweepCommands : DbCommandInterceptor
    {
        public (string Sql, NpgsqlParameter[] Parameters)? Last { get; private set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("scheduled_message", StringComparison.Ordinal))
                Last = (command.CommandText, command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToArray());
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
