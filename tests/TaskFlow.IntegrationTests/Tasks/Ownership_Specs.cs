using System.Net;
using System.Net.Http.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Recurrence;

namespace TaskFlow.IntegrationTests.Tasks;

/// <summary>Every route under a task answers 404 for another user's task exactly as for one that never existed.</summary>
public class When_another_user_reaches_for_a_task
{
    private HttpClient alice = null!;
    private HttpClient bob = null!;
    private string alicesTask = "";

    private static IEnumerable<TestCaseData> Routes()
    {
        yield return new TestCaseData("GET", "", null).SetName("read");
        yield return new TestCaseData("PUT", "", Body()).SetName("replace");
        yield return new TestCaseData("DELETE", "", null).SetName("delete");
        yield return new TestCaseData("POST", "/complete", null).SetName("complete");
        yield return new TestCaseData("POST", "/reopen", null).SetName("reopen");
        yield return new TestCaseData("POST", $"/reminders/{Guid.NewGuid()}/snooze", new { minutes = 5 }).SetName("snooze");
        yield return new TestCaseData("GET", "/occurrences", null).SetName("occurrences");
        yield return new TestCaseData("GET", "/history", null).SetName("history");
        yield return new TestCaseData("GET", "/series", null).SetName("read the series");
        yield return new TestCaseData("PUT", "/series", Body()).SetName("change the series");
        yield return new TestCaseData("POST", "/series/skip", null).SetName("skip in the series");
        yield return new TestCaseData("POST", "/series/stop", null).SetName("stop the series");
    }

    private static object Body() => new { title = "Bob was here", due = new { dateTime = "2427-01-04T09:00" }, recurrence = "daily", version = 1 };

    [SetUp]
    public async Task TwoUsers()
    {
        alice = await IntegrationSetup.Api.NewUserAsync();
        bob = await IntegrationSetup.Api.NewUserAsync();
        alicesTask = (await alice.CreateTaskAsync(new
        {
            title = "Alice's secret plan", tags = new[] { "secret" },
            due = new { dateTime = "2427-01-04T09:00" }, recurrence = "daily", reminders = new[] { "PT15M" },
        })).Id();
    }

    [TearDown]
    public void SignOut()
    {
        alice.Dispose();
        bob.Dispose();
    }

    [Test]
    public async Task Should_not_find_it_when_reading() =>
        await (await bob.GetAsync($"{TaskApi.Tasks}/{alicesTask}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

    [Test]
    public async Task Should_not_list_it_even_when_searching_for_it()
    {
        var all = await bob.GetJsonAsync(TaskApi.Tasks);
        var searched = await bob.GetJsonAsync($"{TaskApi.Tasks}?q=secret&tag=secret");

        Assert.That(all.GetProperty("items").GetArrayLength(), Is.Zero);
        Assert.That(searched.GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Should_not_change_complete_reopen_or_delete_it()
    {
        var responses = new[]
        {
            await bob.PutTaskAsync(alicesTask, new { title = "Bob was here", version = 1 }),
            await bob.PutTaskAsync(alicesTask, new { title = "Bob was here" }, ifMatch: "*"),
            await bob.PostAsync($"{TaskApi.Tasks}/{alicesTask}/complete", null),
            await bob.PostAsync($"{TaskApi.Tasks}/{alicesTask}/reopen", null),
            await bob.DeleteAsync($"{TaskApi.Tasks}/{alicesTask}"),
        };

        foreach (var response in responses)
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var untouched = await alice.GetJsonAsync($"{TaskApi.Tasks}/{alicesTask}");
        Assert.That(untouched.GetProperty("title").GetString(), Is.EqualTo("Alice's secret plan"));
        Assert.That(untouched.GetProperty("status").GetString(), Is.EqualTo("open"));
        Assert.That(untouched.Version(), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_answer_the_same_for_her_task_as_for_a_missing_one()
    {
        var hers = await bob.GetAsync($"{TaskApi.Tasks}/{alicesTask}");
        var missing = await bob.GetAsync($"{TaskApi.Tasks}/{Guid.NewGuid()}");

        var herProblem = await hers.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var missingProblem = await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.That(herProblem.GetProperty("title").GetString(), Is.EqualTo(missingProblem.GetProperty("title").GetString()));
    }

    [TestCase("GET", "/api/v1/tasks")]
    [TestCase("POST", "/api/v1/tasks")]
    [TestCase("GET", "/api/v1/accounts/me")]
    public async Task Should_answer_401_without_a_token(string method, string url)
    {
        using var anonymous = IntegrationSetup.Api.CreateClient();

        var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { title = "x" }) });

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Should_answer_401_to_a_forged_token()
    {
        using var forger = IntegrationSetup.Api.CreateClient();
        // A well-formed token signed with another key.
        forger.DefaultRequestHeaders.Authorization = new("Bearer",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMTkzMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDAiLCJpc3MiOiJ0YXNrZmxvdyIsImF1ZCI6InRhc2tmbG93IiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2lnbmVkLXdpdGgtYW5vdGhlci1rZXktMDEyMzQ1Njc4OQ");

        var response = await forger.GetAsync(TaskApi.Tasks);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [TestCaseSource(nameof(Routes))]
    public async Task Should_answer_404_for_another_users_task_and_change_nothing(string method, string path, object? body)
    {
        // Her task's history exists before Bob asks for it, so an empty answer cannot pass for a missing one.
        await Eventually.MatchesAsync(() => alice.GetJsonAsync($"{TaskApi.Tasks}/{alicesTask}/history"),
            page => page.GetProperty("items").GetArrayLength() > 0, what: "Alice's history");

        var response = await SendAsync(bob, method, $"{TaskApi.Tasks}/{alicesTask}{path}", body);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var untouched = await alice.GetJsonAsync($"{TaskApi.Tasks}/{alicesTask}");
        Assert.That(untouched.GetProperty("title").GetString(), Is.EqualTo("Alice's secret plan"));
        Assert.That(untouched.Version(), Is.EqualTo(1));
        Assert.That((await alice.SeriesAsync(alicesTask)).GetProperty("version").GetInt32(), Is.EqualTo(1));
    }

    [TestCaseSource(nameof(Routes))]
    public async Task Should_answer_404_for_a_task_that_never_existed(string method, string path, object? body)
    {
        var response = await SendAsync(alice, method, $"{TaskApi.Tasks}/{Guid.NewGuid()}{path}", body);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Should_still_show_the_owner_the_history_of_a_deleted_task()
    {
        (await alice.DeleteAsync($"{TaskApi.Tasks}/{alicesTask}")).EnsureSuccessStatusCode();

        var history = (await Eventually.MatchesAsync(() => alice.GetHistoryAsync(alicesTask),
            page => page?.GetProperty("items").GetArrayLength() == 2, what: "created and deleted in the history"))!.Value;
        var bobs = await bob.GetAsync($"{TaskApi.Tasks}/{alicesTask}/history");

        Assert.That(history.GetProperty("items")[1].GetProperty("type").GetString(), Is.EqualTo("deleted"));
        await bobs.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient user, string method, string url, object? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        if (method == "PUT")
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        return user.SendAsync(request);
    }
}
