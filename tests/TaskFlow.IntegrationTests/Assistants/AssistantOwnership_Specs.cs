using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Assistants;

/// <summary>Through MCP as through REST, another user's task is one that does not exist: not found, and untouched.</summary>
public sealed class When_an_assistant_reaches_for_another_users_task
{
    private HttpClient alice = null!;
    private HttpClient bob = null!;
    private string alicesTask = "";

    private static IEnumerable<TestCaseData> Calls()
    {
        yield return new TestCaseData("get_task", (Func<string, object>)(id => new { id })).SetName("read");
        yield return new TestCaseData("update_task", (Func<string, object>)(id => new { id, version = 1, title = "Bob was here" })).SetName("update");
        yield return new TestCaseData("complete_task", (Func<string, object>)(id => new { id })).SetName("complete");
        yield return new TestCaseData("reopen_task", (Func<string, object>)(id => new { id })).SetName("reopen");
        yield return new TestCaseData("delete_task", (Func<string, object>)(id => new { id })).SetName("delete");
        yield return new TestCaseData("preview_occurrences", (Func<string, object>)(id => new { id })).SetName("preview");
        yield return new TestCaseData("snooze_reminder", (Func<string, object>)(id => new { taskId = id, reminderId = Guid.NewGuid(), minutes = 5 })).SetName("snooze");
    }

    [SetUp]
    public async Task TwoUsers()
    {
        alice = await IntegrationSetup.Api.NewUserAsync();
        bob = await IntegrationSetup.Api.NewUserAsync();
        alicesTask = (await alice.CreateTaskAsync(new
        {
            title = "Alice's secret plan", tags = new[] { "secret" }, due = new { dateTime = "2427-01-04T09:00" }, recurrence = "daily",
        })).Id();
    }

    [TearDown]
    public void SignOut()
    {
        alice.Dispose();
        bob.Dispose();
    }

    [TestCaseSource(nameof(Calls))]
    public async Task Should_not_find_it_and_leave_it_as_it_was(string tool, Func<string, object> arguments)
    {
        await using var assistant = await Assistant.ConnectAsync(bob);
        var before = await alice.GetJsonAsync($"{TaskApi.Tasks}/{alicesTask}");

        var stranger = await assistant.CallForErrorAsync(tool, arguments(alicesTask));
        var unknown = await assistant.CallForErrorAsync(tool, arguments(Guid.NewGuid().ToString()));

        Assert.That(stranger, Does.StartWith("Not found"));
        Assert.That(Redact(stranger), Is.EqualTo(Redact(unknown)), "the same answer as for a task that does not exist");
        var after = await alice.GetJsonAsync($"{TaskApi.Tasks}/{alicesTask}");
        Assert.That(after.Version(), Is.EqualTo(before.Version()));
    }

    [Test]
    public async Task Should_not_list_it_even_when_searching_for_it()
    {
        await using var assistant = await Assistant.ConnectAsync(bob);
        var page = await assistant.CallForAsync("list_tasks", new { q = "secret", tag = "secret" });
        Assert.That(page.Titles(), Is.Empty);
    }

    private static string Redact(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>");
}
