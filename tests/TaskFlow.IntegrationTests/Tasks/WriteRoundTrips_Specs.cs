using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Tasks;

/// <summary>
/// What one write request costs PostgreSQL: the round trips (statements sent, commits) and transactions of the request's
/// own DbContext, read from what EF Core sends. Npgsql sends a BEGIN with the statement after it, so a BEGIN is no round
/// trip of its own; a statement outside a transaction is a transaction of its own.
/// </summary>
[NonParallelizable]
public class When_the_api_writes_a_task
{
    private TestDatabase database = null!;
    private TaskFlowApiFactory api = null!;
    private HttpClient user = null!;
    private readonly SentStatements sent = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        database = await TaskFlowDatabase.CreateAsync("writes");
        api = new TaskFlowApiFactory(database.ConnectionString, IntegrationSetup.Broker.ConnectionString, services: s => s.AddSingleton<IInterceptor>(sent));
        user = await api.NewUserAsync("Europe/Paris");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        user.Dispose();
        await api.DisposeAsync();
        await database.DisposeAsync();
    }

    [Test]
    public async Task Should_create_a_plain_task_in_one_statement_and_its_commit()
    {
        var trace = await sent.TraceAsync("INSERT INTO tasks", () => user.CreateTaskAsync(new { title = "Plain" }));

        Assert.Multiple(() =>
        {
            Assert.That(trace.RoundTrips, Is.EqualTo(2), trace.ToString());
            Assert.That(trace.Transactions, Is.EqualTo(1), trace.ToString());
        });
    }

    [Test]
    public async Task Should_read_the_owners_zone_for_a_due_date_in_the_create_transaction()
    {
        var trace = await sent.TraceAsync("INSERT INTO tasks", () => user.CreateTaskAsync(new { title = "Local", due = new { dateTime = "2427-03-01T09:00" } }));

        Assert.Multiple(() =>
        {
            Assert.That(trace.RoundTrips, Is.EqualTo(3), trace.ToString());
            Assert.That(trace.Transactions, Is.EqualTo(1), trace.ToString());
        });
    }

    [Test]
    public async Task Should_not_read_the_owner_for_a_due_date_that_names_its_zone()
    {
        var trace = await sent.TraceAsync("INSERT INTO tasks", () => user.CreateTaskAsync(new
        {
            title = "Zoned",
            due = new { dateTime = "2427-03-01T09:00", timeZone = "America/New_York" },
        }));

        Assert.That(trace.Reads, Is.Empty, trace.ToString());
    }

    [Test]
    public async Task Should_update_a_task_in_one_transaction_with_its_owner_read_with_it()
    {
        var created = await user.CreateTaskAsync(new { title = "Before", due = new { dateTime = "2427-03-01T09:00" } });

        var trace = await sent.TraceAsync("UPDATE tasks", async () =>
        {
            var response = await user.PutAsJsonAsync($"{TaskApi.Tasks}/{created.Id()}",
                new { title = "After", due = new { dateTime = "2427-03-02T09:00" }, version = created.Version() });
            Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        });

        Assert.Multiple(() =>
        {
            Assert.That(trace.RoundTrips, Is.EqualTo(3), trace.ToString());
            Assert.That(trace.Transactions, Is.EqualTo(1), trace.ToString());
        });
    }

    [Test]
    public async Task Should_complete_a_task_in_one_transaction()
    {
        var created = await user.CreateTaskAsync(new { title = "To do" });

        var trace = await sent.TraceAsync("UPDATE tasks", async () =>
        {
            var response = await user.PostAsync($"{TaskApi.Tasks}/{created.Id()}/complete", null);
            Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        });

        Assert.Multiple(() =>
        {
            Assert.That(trace.RoundTrips, Is.EqualTo(3), trace.ToString());
            Assert.That(trace.Transactions, Is.EqualTo(1), trace.ToString());
        });
    }

    [Test]
    public async Task Should_delete_a_task_in_one_transaction()
    {
        var created = await user.CreateTaskAsync(new { title = "Gone soon" });

        var trace = await sent.TraceAsync("DELETE FROM tasks", async () =>
        {
            var response = await user.DeleteAsync($"{TaskApi.Tasks}/{created.Id()}");
            Assert.That((int)response.StatusCode, Is.EqualTo(204), await response.Content.ReadAsStringAsync());
        });

        Assert.Multiple(() =>
        {
            Assert.That(trace.RoundTrips, Is.EqualTo(3), trace.ToString());
            Assert.That(trace.Transactions, Is.EqualTo(1), trace.ToString());
        });
    }

    /// <summary>Every statement and transaction end EF Core sends, by the DbContext that sends it.</summary>
    private sealed class SentStatements : DbCommandInterceptor, IDbTransactionInterceptor
    {
        private readonly ConcurrentDictionary<DbContext, ConcurrentQueue<Step>> byContext = new(ReferenceEqualityComparer.Instance);

        /// <summary>What the DbContext that sent a statement containing <paramref name="marker"/> during <paramref name="request"/> sent in all.</summary>
        public async Task<Trace> TraceAsync(string marker, Func<Task> request)
        {
            byContext.Clear();
            await request();
            var traces = byContext.Values.Select(steps => new Trace([.. steps]))
                .Where(t => t.Steps.Any(s => s.Sql.Contains(marker, StringComparison.Ordinal)))
                .ToList();
            Assert.That(traces, Has.Count.EqualTo(1), $"one DbContext sends '{marker}'");
            return traces[0];
        }

        private void Add(DbContext? context, Step step)
        {
            if (context is not null)
                byContext.GetOrAdd(context, _ => new ConcurrentQueue<Step>()).Enqueue(step);
        }

        private void Sent(DbCommand command, CommandEventData data) =>
            Add(data.Context, new Step(command.CommandText, Kind.Statement, command.Transaction is not null));

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Sent(command, eventData);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Sent(command, eventData);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Sent(command, eventData);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Sent(command, eventData);
            return ValueTask.FromResult(result);
        }

        public ValueTask<InterceptionResult> CreatingSavepointAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
            CancellationToken cancellationToken = default)
        {
            Add(eventData.Context, new Step("SAVEPOINT", Kind.Statement, true));
            return ValueTask.FromResult(result);
        }

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Add(eventData.Context, new Step("COMMIT", Kind.End, true));
            return Task.CompletedTask;
        }

        public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Add(eventData.Context, new Step("ROLLBACK", Kind.End, true));
            return Task.CompletedTask;
        }
    }

    private enum Kind { Statement, End }

    private sealed record Step(string Sql, Kind Kind, bool InTransaction)
    {
        public bool Reads => Kind == Kind.Statement && Sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);
    }

    private sealed record Trace(IReadOnlyList<Step> Steps)
    {
        public int RoundTrips => Steps.Count;

        /// <summary>Each statement outside a transaction is one; each transaction ends in a commit or a rollback.</summary>
        public int Transactions => Steps.Count(s => !s.InTransaction || s.Kind == Kind.End);

        public IReadOnlyList<Step> Reads => [.. Steps.Where(s => s.Reads)];

        public override string ToString() => string.Join("\n", Steps.Select(s =>
            (s.Kind == Kind.End ? "" : s.InTransaction ? "[in transaction] " : "[own transaction] ") + s.Sql.ReplaceLineEndings(" ")));
    }
}
