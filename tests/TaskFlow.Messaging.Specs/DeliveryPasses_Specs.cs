using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// A delivery pass is a PostgreSQL transaction, so a commit delivered on a quiet system should cost one: a pass that
/// finds nothing after it (no later state of its keys waiting, no commit announced meanwhile, no full batch) is waste.
/// </summary>
public class When_commits_are_delivered_one_at_a_time
{
    [Test]
    public async Task Should_run_one_delivery_pass_for_each()
    {
        await using var environment = await SpecEnvironment.CreateAsync("passes");
        var passes = new DeliveryPasses();
        var api = await environment.StartOutboxHostAsync(services: s => s.AddSingleton<IInterceptor>(passes));
        // The loops' first passes at start-up are behind us once a first commit has gone all the way.
        await DeliverAsync(api, environment, new Numbered("warm-up", 1));
        passes.Reset();

        await DeliverAsync(api, environment, new Numbered("first", 1));
        // The second commit is also the marker: a pass after the first would have run by the time the second is delivered.
        await DeliverAsync(api, environment, new Numbered("second", 1));

        Assert.That(passes.Count, Is.EqualTo(2));
    }

    private static async Task DeliverAsync(SpecHost api, SpecEnvironment environment, Numbered message)
    {
        await api.PublishAndCommitAsync(message);
        await api.Recorder.WaitUntilAsync(items => items.Any(i => Equals(i.Message, message)), message.Key);
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM outbox_state") == 0, "outbox emptied");
    }

    /// <summary>Counts the delivery's transactions: the only ones in this host begun at READ COMMITTED by name.</summary>
    private sealed class DeliveryPasses : DbTransactionInterceptor
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public void Reset() => Interlocked.Exchange(ref count, 0);

        public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
            InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (eventData.IsolationLevel == IsolationLevel.ReadCommitted)
                Interlocked.Increment(ref count);
            return ValueTask.FromResult(result);
        }
    }
}
