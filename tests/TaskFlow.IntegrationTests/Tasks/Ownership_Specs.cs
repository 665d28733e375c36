using System.Net;
using System.Net.Http.Json;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Tasks;

public class When_another_user_reaches_for_a_task
{
    private HttpClient alice = null!;
    private HttpClient bob = null!;
    private string alicesTask = "";

    [SetUp]
    public async Task TwoUsers()
    {
        alice = await IntegrationSetup.Api.NewUserAsync();
        bob = await IntegrationSetup.Api.NewUserAsync();
        alicesTask = (await alice.CreateTaskAsync(new { title = "Alice's secret plan", tags = new[] { "secret" } })).Id();
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
}
