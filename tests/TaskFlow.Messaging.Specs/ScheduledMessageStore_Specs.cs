using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TaskFlow.Messaging.Scheduling;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>The scheduler's batch upsert: one statement per batch, whatever its size, that leaves cancelled tokens out.</summary>
public class When_the_scheduler_stores_a_batch
{
    [Test]
    public async Task Should_store_it_in_one_statement_skipping_cancelled_tokens_and_keeping_the_last_of_a_token()
    {
        await using var database = await SpecDatabase.CreateAsync("upsert");
        var statements = new StatementCounter();
        var options = new DbContextOptionsBuilder<SpecDbContext>().UseNpgsql(database.ConnectionString).UseSnakeCaseNamingConvention()
            .AddInterceptors(statements).Options;
        var cancelled = Guid.NewGuid();
        var moved = Guid.NewGuid();
        await database.ExecuteAsync($"INSERT INTO scheduled_message_tombstone (token_id, cancelled) VALUES ('{cancelled}', now())");
        var due = DateTime.UtcNow.AddHours(1);
        var batch = new[]
        {
            Message(moved, due, "first"), Message(cancelled, due, "cancelled"), Message(Guid.NewGuid(), due, "other"), Message(moved, due.AddMinutes(1), "moved"),
        };

        await using (var db = new SpecDbContext(options))
            await ScheduledMessageStore.UpsertAsync(db, batch, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(statements.Executed, Is.EqualTo(1), "one statement for the batch");
            Assert.That(await database.ReadStringsAsync("SELECT body FROM scheduled_message ORDER BY body"), Is.EqualTo(new[] { "moved", "other" }),
                "the cancelled token left out, the last of a token kept");
            Assert.That(await database.CountAsync("SELECT count(*) FROM scheduled_message WHERE token_id = @moved AND due_time > @due",
                ("moved", moved), ("due", due)), Is.EqualTo(1));
        });
    }

    private static ScheduledMessage Message(Guid token, DateTime due, string body) => new()
    {
        TokenId = token,
        DueTime = due,
        Bucket = due,
        Created = DateTime.UtcNow,
        DestinationAddress = new Uri("queue:reminders"),
        MessageId = Guid.NewGuid(),
        ContentType = "application/vnd.masstransit+json",
        MessageType = "urn:message:Spec:Reminder",
        Body = body,
    };

    private sealed class StatementCounter : DbCommandInterceptor
    {
        private int executed;

        public int Executed => Volatile.Read(ref executed);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref executed);
            return ValueTask.FromResult(result);
        }
    }
}
