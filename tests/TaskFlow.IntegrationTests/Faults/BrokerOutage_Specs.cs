using System.Net;
using Microsoft.Extensions.Hosting;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Faults;

/// <summary>The outbox's promise under a broker crash: the API keeps working, and every committed change's event arrives once.</summary>
[NonParallelizable]
public class When_rabbitmq_is_down_while_tasks_are_created
{
    private const int Tasks = 500;

    [Test]
    public async Task Should_keep_answering_and_deliver_every_event_once_when_it_is_back()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("outage");
        await using var node = new RabbitNode();
        await node.StartAsync();
        await using var api = new TaskFlowApiFactory(database.ConnectionString, node.ConnectionString);
        using var worker = await WorkerHost.StartAsync(database.ConnectionString, node.ConnectionString);
        using var user = await api.NewUserAsync();
        await user.CreateTaskAsync(new { title = "Before the outage" });
        await Eventually.MatchesAsync(() => AuditedAsync(database), n => n == 1, TimeSpan.FromSeconds(30), "the first event audited");

        await node.KillAsync();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < Tasks; i++)
            answers.Add((await user.PostAsync(TaskApi.Tasks, System.Net.Http.Json.JsonContent.Create(new { title = $"During the outage {i}" }))).StatusCode);
        var heldBack = await database.ScalarAsync<long>("SELECT count(*) FROM outbox_message");
        await node.StartAsync();
        var restarted = System.Diagnostics.Stopwatch.StartNew();

        Assert.That(answers, Is.All.EqualTo(HttpStatusCode.Created));
        Assert.That(heldBack, Is.GreaterThan(0), "the events waited in the outbox while the broker was down");
        await Eventually.MatchesAsync(() => AuditedAsync(database), n => n >= Tasks + 1, TimeSpan.FromSeconds(120), "every event audited");
        var drained = restarted.Elapsed;
        await Eventually.MatchesAsync(() => database.ScalarAsync<long>("SELECT count(*) FROM outbox_message"), n => n == 0, TimeSpan.FromSeconds(30), "an empty outbox");
        await TestContext.Out.WriteLineAsync(
            $"{answers.Count(a => a == HttpStatusCode.Created)} of {Tasks} creates answered 201 with the broker down; {heldBack} events held in the outbox; " +
            $"all audited {drained.TotalSeconds:F1} s after the broker's restart began answering");
        Assert.That(await AuditedAsync(database), Is.EqualTo(Tasks + 1));
        Assert.That(await database.ScalarAsync<long>("SELECT count(DISTINCT task_id) FROM audit_log WHERE event_type = 'created'"), Is.EqualTo(Tasks + 1));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.EqualTo(Tasks + 1));
        Assert.That(await database.ScalarAsync<long>(
            "SELECT count(*) FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.task_id = t.id AND a.event_type = 'created')"), Is.Zero,
            "a committed task whose event never arrived");
        await worker.StopAsync();
    }

    private static Task<long> AuditedAsync(TestDatabase database) =>
        database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE event_type = 'created'");
}

/// <summary>A crash between commit and delivery must not lose the event; a crash before commit must not publish one.</summary>
[NonParallelizable]
public class When_the_api_is_killed_in_the_middle_of_a_burst
{
    [Test]
    public async Task Should_deliver_the_event_of_every_committed_task_exactly_once_after_restart()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("apikill");
        await using var broker = await TestVirtualHost.CreateAsync("apikill");
        using var worker = await WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString);
        await using var api = HostProcess.Api(database.ConnectionString, broker.ConnectionString);
        await api.StartAsync();
        using var user = await SignInAsync(api);

        using var burst = new CancellationTokenSource();
        var created = 0;
        var writers = Enumerable.Range(0, 8).Select(async writer =>
        {
            for (var i = 0; !burst.IsCancellationRequested && i < 1_000; i++)
            {
                try
                {
                    var response = await user.PostAsync(TaskApi.Tasks, System.Net.Http.Json.JsonContent.Create(new { title = $"Burst {writer}-{i}" }));
                    if (response.StatusCode == HttpStatusCode.Created)
                        Interlocked.Increment(ref created);
                }
                catch (HttpRequestException)
                {
                    return; // the process is gone
                }
            }
        }).ToList();
        await Eventually.MatchesAsync(() => Task.FromResult(Volatile.Read(ref created)), n => n >= 150, TimeSpan.FromSeconds(60), "150 tasks created");
        await api.KillAsync();
        await burst.CancelAsync();
        await Task.WhenAll(writers);

        await api.StartAsync();
        var committed = await database.ScalarAsync<long>("SELECT count(*) FROM tasks");
        await Eventually.MatchesAsync(() => AuditedAsync(database), n => n >= committed, TimeSpan.FromSeconds(60), "an audit entry per committed task");
        await Eventually.MatchesAsync(() => database.ScalarAsync<long>("SELECT count(*) FROM outbox_message"), n => n == 0, TimeSpan.FromSeconds(30), "an empty outbox");

        await TestContext.Out.WriteLineAsync(
            $"killed after {created} answered creates; {committed} tasks committed; {await AuditedAsync(database)} audited, " +
            $"{await database.ScalarAsync<long>("SELECT count(DISTINCT event_id) FROM audit_log")} distinct events");
        Assert.That(committed, Is.GreaterThanOrEqualTo(created), "every 201 is a committed task");
        Assert.That(await AuditedAsync(database), Is.EqualTo(committed));
        Assert.That(await database.ScalarAsync<long>(
            "SELECT count(*) FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.task_id = t.id AND a.event_type = 'created')"), Is.Zero);
        Assert.That(await database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log a WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = a.task_id)"), Is.Zero, "no event of a rolled-back task");
        await worker.StopAsync();
    }

    private static async Task<HttpClient> SignInAsync(HostProcess api)
    {
        var client = new HttpClient { BaseAddress = api.BaseAddress };
        var email = $"burst-{Guid.NewGuid():N}@example.com";
        (await client.PostAsync("/api/v1/accounts/register", System.Net.Http.Json.JsonContent.Create(new { email, password = "burst password" }))).EnsureSuccessStatusCode();
        var login = await client.PostAsync("/api/v1/accounts/login", System.Net.Http.Json.JsonContent.Create(new { email, password = "burst password" }));
        var token = System.Text.Json.JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private static Task<long> AuditedAsync(TestDatabase database) =>
        database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE event_type = 'created'");
}
