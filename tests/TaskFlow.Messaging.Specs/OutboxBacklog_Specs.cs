using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// A metrics reader collects the outbox gauges on its own thread, under its own lock: the callback answers from a
/// reading the delivery service keeps fresh, and never waits for the database.
/// </summary>
public class When_the_outbox_gauges_are_collected
{
    [Test]
    public async Task Should_answer_from_the_kept_reading_without_opening_a_connection()
    {
        await using var environment = await SpecEnvironment.CreateAsync("gauges");
        var connections = new CollectionConnections();
        var api = await environment.StartOutboxHostAsync(services: x => x.AddSingleton<IInterceptor>(connections));

        Dictionary<string, double> gauges = [];
        await Eventually.HoldsAsync(() =>
        {
            gauges = CollectionConnections.WhileCollecting(() => Gauges.Collect(api));
            return Task.FromResult(gauges.ContainsKey(OutboxMetrics.Backlog));
        }, "a backlog reading");

        Assert.That(connections.OpenedWhileCollecting, Is.Zero);
        Assert.That(gauges[OutboxMetrics.Backlog], Is.Zero);
        Assert.That(gauges[OutboxMetrics.Parked], Is.Zero);
    }

    /// <summary>Counts the connections opened on the collecting thread while a collection runs.</summary>
    private sealed class CollectionConnections : DbConnectionInterceptor
    {
        [ThreadStatic]
        private static bool collecting;

        private int opened;

        public int OpenedWhileCollecting => Volatile.Read(ref opened);

        public static T WhileCollecting<T>(Func<T> collect)
        {
            collecting = true;
            try
            {
                return collect();
            }
            finally
            {
                collecting = false;
            }
        }

        public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
        {
            if (collecting)
                Interlocked.Increment(ref opened);
            return result;
        }
    }
}
