using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Scheduling;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// Two scheduler processes share one store. A second holding more than one claim's worth of messages is sent by both
/// (the node whose trigger fired tells the others, which join claiming it), and each message still goes out once.
/// </summary>
[Category(SpecCategories.Timing)]
public class When_a_burst_is_due_with_two_schedulers
{
    private const int Count = 2000;

    /// <summary>Small claims, so the 2,000 are many claims' worth, as 10,000 are with the defaults.</summary>
    private const int ClaimSize = 100;

    /// <summary>
    /// How long before its second the firing node claims its first round and then waits: the time the other node has
    /// to hear of it and claim a round of its own. Longer than the default second, so that a busy machine's slow
    /// claim cannot make the share bound below a matter of luck.
    /// </summary>
    private static readonly TimeSpan PrepareAhead = TimeSpan.FromSeconds(3);

    [OneTimeSetUp]
    public void UseTokens() => SchedulerSpecs.UseReminderTokens();

    [Test]
    public async Task Should_have_both_send_a_share_and_each_message_arrive_once()
    {
        await using var environment = await SpecEnvironment.CreateAsync("sharedburst");
        var hosts = new[]
        {
            await environment.StartSchedulerHostAsync(Configure),
            await environment.StartSchedulerHostAsync(Configure),
        };
        using var sent = new SentCounts(hosts);
        var due = DateTime.UtcNow.AddSeconds(20);
        var reminders = Enumerable.Range(1, Count).Select(i => new Reminder(Guid.NewGuid(), $"burst {i}")).ToList();
        foreach (var chunk in reminders.Chunk(100))
            await Task.WhenAll(chunk.Select((r, i) => hosts[i % 2].ScheduleAsync(r, due)));
        await Eventually.HoldsAsync(async () => await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message") == Count,
            "all stored before their second is claimed", due - PrepareAhead - DateTime.UtcNow);

        await Eventually.HoldsAsync(async () => hosts.Sum(h => h.Arrivals().Count) >= Count
            && await environment.Database.CountAsync("SELECT count(*) FROM scheduled_message") == 0, "every one arrived and deleted", TimeSpan.FromSeconds(60));
        await hosts[0].AwaitMarkerAsync(hosts[1]);
        // A send is counted once its confirm is back, which may come after its consumer has it: wait for the marker's.
        await Eventually.HoldsAsync(() => Task.FromResult(hosts.Sum(sent.Of) >= Count + 1), "every send counted, the marker's too",
            TimeSpan.FromSeconds(10));

        var arrivals = hosts.SelectMany(h => h.Arrivals()).ToList();
        var shares = hosts.Select(sent.Of).ToList();
        TestContext.Progress.WriteLine($"burst of {Count} and a marker: sent {shares[0]} and {shares[1]}");
        // The firing node claims its first round (ClaimsPerBucket claims) PrepareAhead before the second and then waits
        // for it; the other node hears within milliseconds and claims a round of its own meanwhile. Either node thus
        // sends at least one round, whatever their speeds afterwards.
        var leastShare = new TaskFlowSchedulerOptions().ClaimsPerBucket * ClaimSize;
        Assert.Multiple(() =>
        {
            Assert.That(arrivals.Select(a => a.Reminder).OrderBy(r => r.Token).ToList(), Is.EqualTo(reminders.OrderBy(r => r.Token).ToList()),
                "each message received once");
            Assert.That(shares.Sum(), Is.EqualTo(Count + 1), "each message, and the marker after them, sent once");
            Assert.That(shares, Has.All.GreaterThanOrEqualTo(leastShare), "both schedulers sent at least a round of claims");
        });
    }

    private static void Configure(TaskFlowSchedulerOptions options)
    {
        options.QueryMessageLimit = ClaimSize;
        options.PrepareAhead = PrepareAhead;
    }

    /// <summary>The scheduler's sent counter of each host, as a metrics reader attached to that host would read it.</summary>
    private sealed class SentCounts : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentDictionary<object, long> counts = new();
        private readonly List<IMeterFactory> scopes;

        public SentCounts(IEnumerable<SpecHost> hosts)
        {
            scopes = hosts.Select(h => h.Services.GetRequiredService<IMeterFactory>()).ToList();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == SchedulerMetrics.Sent && scopes.Any(s => ReferenceEquals(s, instrument.Meter.Scope)))
                    l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => counts.AddOrUpdate(instrument.Meter.Scope!, value, (_, c) => c + value));
            listener.Start();
        }

        public long Of(SpecHost host) => counts.GetValueOrDefault(host.Services.GetRequiredService<IMeterFactory>());

        public void Dispose() => listener.Dispose();
    }
}
