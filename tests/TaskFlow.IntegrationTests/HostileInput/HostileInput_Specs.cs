using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <summary>
/// A hostile client calls every operation of the OpenAPI document for about a minute, with generated route values,
/// query strings and bodies. The API must never fail (5xx), must name a field in every 400, must create tasks only when
/// it says so, must answer no request for an id that is not the user's, and must leave another user's data as it was.
/// Replay a run with TASKFLOW_FUZZ_SEED (printed on failure); TASKFLOW_FUZZ_SECONDS runs it longer; TASKFLOW_FUZZ_LOG
/// names a file for every request and answer.
/// </summary>
/// <remarks>
/// On a system of its own, whose worker is stopped once the users' data is in place: nothing but the requests changes
/// what the users have, so the counts are exact.
/// </remarks>
[NonParallelizable]
public class When_a_hostile_client_calls_every_operation
{
    private const string Tasks = "/api/v1/tasks";
    private const int MaxRequests = 10_000;

    private readonly LoggedErrors logged = new();
    private readonly Stack<IAsyncDisposable> started = new();
    private HttpClient user = null!;
    private HttpClient other = null!;
    private IReadOnlyList<ApiOperation> operations = [];
    private HostileRun run = null!;
    private string replay = "";
    private int tasksBefore;
    private int tasksAfter;
    private string otherBefore = "";
    private string otherAfter = "";

    [OneTimeSetUp]
    public async Task RunAsync()
    {
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("TASKFLOW_FUZZ_SEED"), CultureInfo.InvariantCulture, out var chosen)
            ? chosen
            : (ulong)Random.Shared.NextInt64(long.MaxValue);
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("TASKFLOW_FUZZ_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 60;
        replay = $"Replay with TASKFLOW_FUZZ_SEED={seed}.";
        TestContext.Progress.WriteLine($"Hostile input: seed {seed}, {seconds} s");

        var database = Started(await TaskFlowDatabase.CreateAsync("hostile"));
        var broker = Started(await TestVirtualHost.CreateAsync("hostile"));
        var api = Started(new TaskFlowApiFactory(database.ConnectionString, broker.ConnectionString,
            services: services => services.AddSingleton<ILoggerProvider>(logged)));
        user = await api.NewUserAsync();
        other = await api.NewUserAsync();
        List<Guid> otherTasks;
        var worker = await WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString);
        try
        {
            otherTasks = await GiveTasksAsync(other);
            await GiveTasksAsync(user);
            await WaitForNotificationsAndAuditAsync(other, otherTasks.Count);
            await WaitForNotificationsAndAuditAsync(user, otherTasks.Count);
        }
        finally
        {
            await worker.StopAsync();
            worker.Dispose();
        }

        var document = new ApiDocument(await user.GetFromJsonAsync<JsonElement>("/openapi/v1.json"));
        operations = document.Operations();
        var ids = new KnownIds();
        otherBefore = await UserView.ReadAsync(other, operations, otherTasks);
        foreach (var line in otherBefore.Split('\n').Where(l => l.Contains(" → 200 {", StringComparison.Ordinal)))
            ids.GatherTheirs(JsonDocument.Parse(line[line.IndexOf('{', StringComparison.Ordinal)..]).RootElement);
        ids.Gather(await user.GetFromJsonAsync<JsonElement>($"{Tasks}?limit=100"));
        ids.Gather(await user.GetFromJsonAsync<JsonElement>("/api/v1/notifications?limit=100"));
        tasksBefore = await CountTasksAsync(user);

        var random = new PCG(1, seed);
        run = new HostileRun(operations, new RequestGenerator(document, ids, random), ids, logged);
        await run.RunAsync(user, TimeSpan.FromSeconds(seconds), MaxRequests, random);
        TestContext.Progress.WriteLine($"Hostile input: {run.Outcomes.Count} requests\n{run.Summary()}");
        // Every request and answer in order, for a failure that an earlier request set up (a connection left broken).
        if (Environment.GetEnvironmentVariable("TASKFLOW_FUZZ_LOG") is { Length: > 0 } log)
            await File.WriteAllLinesAsync(log, run.Outcomes.Select((o, i) => $"#{i} {o}"));

        tasksAfter = await CountTasksAsync(user);
        otherAfter = await UserView.ReadAsync(other, operations, otherTasks);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        user?.Dispose();
        other?.Dispose();
        while (started.TryPop(out var resource))
            await resource.DisposeAsync();
    }

    private T Started<T>(T resource) where T : IAsyncDisposable
    {
        started.Push(resource);
        return resource;
    }

    [Test]
    public void Should_call_every_operation_of_the_document()
    {
        Assert.That(operations, Has.Count.GreaterThan(20), "The OpenAPI document lists fewer operations than the API has.");
        Assert.That(run.Outcomes.Select(o => o.Request.Operation).Distinct(), Is.EquivalentTo(operations), replay);
    }

    [Test]
    public void Should_never_answer_with_a_server_error() =>
        ShouldHaveNone(run.Outcomes.Where(o => o.Status is 0 or >= 500), "answered with a server error (or not at all)");

    [Test]
    public void Should_name_the_field_in_every_400() =>
        ShouldHaveNone(run.Outcomes.Where(o => o.Status == 400 && !NamesAField(o)), "answered 400 without a problem naming a field in errors");

    [Test]
    public void Should_answer_no_request_for_an_id_that_is_not_the_users() =>
        ShouldHaveNone(run.Outcomes.Where(o => o.Request.NotTheUsers && o.Status is >= 200 and < 300),
            "succeeded (2xx) with the other user's id, or a made-up one, in the path (the README promises 404)");

    [Test]
    public void Should_change_the_task_count_only_by_the_tasks_created_and_deleted()
    {
        // Quick add creates a task as POST /tasks does.
        var created = run.Outcomes.Count(o => o.Status == 201 && o.Request.Operation is { Method: "POST", Path: Tasks or $"{Tasks}/quick" });
        var deleted = run.Outcomes.Count(o => o.Status == 204 && o.Request.Operation is { Method: "DELETE", Path: $"{Tasks}/{{id}}" });

        Assert.That(tasksAfter, Is.EqualTo(tasksBefore + created - deleted),
            $"The user had {tasksBefore} tasks, {created} were created (201) and {deleted} deleted (204). {replay}");
    }

    [Test]
    public void Should_leave_the_other_users_data_as_it_was() =>
        Assert.That(otherAfter, Is.EqualTo(otherBefore), $"What the other user reads changed:\n{UserView.FirstDifference(otherBefore, otherAfter)}\n{replay}");

    private void ShouldHaveNone(IEnumerable<Outcome> offenders, string what)
    {
        var found = offenders.ToList();
        // One example of each kind: by the exception the API logged (wherever it was thrown from), else by operation and
        // status. A kind of failure, not hundreds of the same one.
        var kinds = found.GroupBy(o => o.Cause.Length > 0 ? o.Cause : $"{o.Request.Operation} {o.Status}").ToList();
        Assert.That(found.Count, Is.Zero,
            $"{found.Count} of {run.Outcomes.Count} requests {what}, {kinds.Count} kinds; {replay}\n"
            + string.Join("\n", kinds.Take(12).Select(k =>
                $"  {k.Count()}× in {string.Join(", ", k.Select(o => o.Request.Operation.ToString()).Distinct())}; for example\n    {k.First()}")));
    }

    private static bool NamesAField(Outcome outcome)
    {
        if (outcome.MediaType != "application/problem+json")
            return false;
        var problem = JsonDocument.Parse(outcome.Body).RootElement;
        return problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            && errors.EnumerateObject().Any(e => e.Name.Length > 0 && e.Value.ValueKind == JsonValueKind.Array && e.Value.GetArrayLength() > 0);
    }

    /// <summary>A plain task, one with reminders and a repeating one: something for forged ids to reach.</summary>
    private static async Task<List<Guid>> GiveTasksAsync(HttpClient owner)
    {
        object[] tasks =
        [
            new { title = "Water the plants", tags = new[] { "home" } },
            new { title = "Dentist", due = new { dateTime = "2427-05-04T09:00" }, reminders = new[] { "1 day", "PT15M" } },
            new { title = "Stand-up", due = new { dateTime = "2427-03-01T09:30" }, recurrence = "weekdays", reminders = new[] { "PT5M" } },
        ];
        var ids = new List<Guid>();
        foreach (var task in tasks)
        {
            using var response = await owner.PostAsJsonAsync(Tasks, task);
            Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }
        return ids;
    }

    private static async Task WaitForNotificationsAndAuditAsync(HttpClient owner, int tasks)
    {
        await Eventually.MatchesAsync(
            async () => (await owner.GetFromJsonAsync<JsonElement>("/api/v1/notifications?limit=100")).GetProperty("items").GetArrayLength(),
            count => count >= tasks, TimeSpan.FromSeconds(60), "a notification for each task");
        await Eventually.MatchesAsync(
            async () => (await owner.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=100")).GetProperty("items").GetArrayLength(),
            count => count >= tasks, TimeSpan.FromSeconds(60), "an audit entry for each task");
    }

    private static async Task<int> CountTasksAsync(HttpClient owner)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = await owner.GetFromJsonAsync<JsonElement>($"{Tasks}?limit=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            count += page.GetProperty("items").GetArrayLength();
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return count;
    }
}
