using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Notifications;

/// <summary>Two API processes on two ports, one worker: each API pushes every notification to the clients it holds.</summary>
[NonParallelizable]
[Category(SpecCategories.Timing)]
public sealed class When_two_api_processes_serve_one_user
{
    [Test]
    public async Task A_client_on_one_receives_the_changes_made_through_the_other()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("scaleout");
        await using var broker = await TestVirtualHost.CreateAsync("scaleout");
        await using var worker = HostProcess.Worker(database.ConnectionString, broker.ConnectionString);
        await using var one = HostProcess.Api(database.ConnectionString, broker.ConnectionString);
        await using var two = HostProcess.Api(database.ConnectionString, broker.ConnectionString);
        await Task.WhenAll(worker.StartAsync(), one.StartAsync(), two.StartAsync());
        await worker.WaitReadyAsync();
        await Eventually.MatchesAsync(async () =>
            {
                var live = (await broker.QueueNamesAsync()).Where(q => q.StartsWith("taskflow-live-", StringComparison.Ordinal)).ToList();
                var consumers = await Task.WhenAll(live.Select(broker.ConsumerCountAsync));
                return consumers.Count(c => c > 0);
            },
            n => n == 2, TimeSpan.FromSeconds(60), "a live queue with its consumer for each API process");

        using var viaOne = new HttpClient { BaseAddress = one.BaseAddress };
        var token = await viaOne.NewAccountAsync();
        await using var onTwo = await NotificationListener.ConnectAsync(two.BaseAddress, token);

        // The first change through fresh processes pays for their compilation; the second shows the steady path.
        var warmUp = Guid.Parse((await viaOne.CreateTaskAsync(new { title = "Warm-up" })).Id());
        await onTwo.WaitForAsync(n => n.TaskId == warmUp, TimeSpan.FromSeconds(20));

        var sent = DateTimeOffset.UtcNow;
        var id = Guid.Parse((await viaOne.CreateTaskAsync(new { title = "Made through one" })).Id());
        var created = (await onTwo.WaitForAsync(n => n.TaskId == id)).Single(n => n.TaskId == id);

        Assert.Multiple(() =>
        {
            Assert.That(created.Kind, Is.EqualTo("task.created"));
            Assert.That(created.ArrivedAt - sent, Is.LessThan(TimeSpan.FromSeconds(1)));
        });
    }
}
