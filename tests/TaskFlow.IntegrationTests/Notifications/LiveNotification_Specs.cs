using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Notifications;

/// <summary>The SignalR hub on the shared API: a change made through the API reaches its owner's open connections.</summary>
[Category(SpecCategories.Timing)]
public sealed class LiveNotification_Specs : SignedInSpec
{
    [OneTimeSetUp]
    public static async Task WaitForTheLiveQueueAsync()
    {
        await NotificationListener.WaitUntilTheApiListensAsync();

        // One round trip first, so the timings below are of a warm path rather than of the first JIT compilation.
        using var warmUp = await IntegrationSetup.Api.NewUserAsync();
        await using var listener = await NotificationListener.ConnectAsync(warmUp);
        var task = await warmUp.CreateTaskAsync(new { title = "Warm-up" });
        await listener.WaitForAsync(n => n.TaskId == Guid.Parse(task.Id()));
    }

    [Test]
    public async Task Each_change_reaches_the_owners_client_within_a_second_and_never_another_users()
    {
        await using var mine = await NotificationListener.ConnectAsync(User);
        using var stranger = await IntegrationSetup.Api.NewUserAsync();
        await using var theirs = await NotificationListener.ConnectAsync(stranger);

        var task = await User.CreateTaskAsync(new { title = "Live one" });
        var id = Guid.Parse(task.Id());
        (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/complete", null)).EnsureSuccessStatusCode();
        (await User.DeleteAsync($"{TaskApi.Tasks}/{task.Id()}")).EnsureSuccessStatusCode();
        var received = await mine.WaitForAsync(n => n.TaskId == id && n.Kind == "task.deleted");

        var kinds = received.Where(n => n.TaskId == id).Select(n => n.Kind).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(kinds, Is.EqualTo(new[] { "task.created", "task.completed", "task.deleted" }), "each once, in order");
            Assert.That(received.Where(n => n.TaskId == id).Select(n => n.Title).Distinct(), Is.EqualTo(new[] { "Live one" }));
            Assert.That(received.Where(n => n.TaskId == id).Select(n => n.ArrivedAt - n.OccurredAt), Has.All.LessThan(TimeSpan.FromSeconds(1)));
        });

        // The stranger's own change arrives at the stranger's client after the owner's changes did; by then any leak would have too.
        var own = await stranger.CreateTaskAsync(new { title = "Theirs" });
        var theirsReceived = await theirs.WaitForAsync(n => n.TaskId == Guid.Parse(own.Id()));
        Assert.That(theirsReceived.Select(n => n.TaskId), Has.None.EqualTo(id));
    }

    [Test]
    public async Task Event_to_client_latency_over_fifty_changes()
    {
        await using var mine = await NotificationListener.ConnectAsync(User);
        var ids = new List<Guid>();
        for (var i = 0; i < 50; i++)
            ids.Add(Guid.Parse((await User.CreateTaskAsync(new { title = $"Measured {i}" })).Id()));
        var received = await mine.WaitForAsync(_ => mine.All.Count(n => ids.Contains(n.TaskId)) == ids.Count);

        var latencies = received.Where(n => ids.Contains(n.TaskId)).Select(n => (n.ArrivedAt - n.OccurredAt).TotalMilliseconds).Order().ToList();
        var stored = await IntegrationSetup.Database.ScalarAsync<double>(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - occurred_at) * 1000) FROM notifications WHERE task_id = ANY(@ids)",
            ("ids", ids.ToArray()));
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"event -> stored in the inbox: p50 {stored:F0} ms"));
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"event (occurredAt) -> SignalR client, {latencies.Count} sequential creates: p50 {latencies[latencies.Count / 2]:F0} ms, " +
            $"p99 {latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1]:F0} ms, max {latencies[^1]:F0} ms"));
        Assert.That(latencies[^1], Is.LessThan(1000));
    }

    [Test]
    public async Task A_connection_without_a_valid_token_is_refused()
    {
        var refused = Assert.ThrowsAsync<HttpRequestException>(() => NotificationListener.ConnectAsync("not-a-token"));
        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
