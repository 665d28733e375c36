using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Assistants;

/// <summary>Wrong tool arguments come back as a tool error naming each one, by REST's field names, and change nothing.</summary>
public sealed class When_an_assistant_sends_invalid_input : SignedInSpec
{
    [Test]
    public async Task Should_name_each_field_the_handler_refuses_and_create_nothing()
    {
        await using var assistant = await Assistant.ConnectAsync(User);

        var error = await assistant.CallForErrorAsync("create_task", new
        {
            title = " ", priority = "urgent", tags = new[] { "ok", new string('x', 40) }, due = new { dateTime = "tomorrow" }, reminders = new[] { "soon" },
        });

        Assert.That(error, Does.StartWith("Invalid input; nothing was changed."));
        Assert.That(error.Split('\n').Skip(1).Select(line => line.Split(':')[0]),
            Is.EquivalentTo(new[] { "- title", "- priority", "- tags[1]", "- due.dateTime", "- reminders[0]" }));
        await AssertNothingStoredAsync();
    }

    [Test]
    public async Task Should_name_arguments_missing_of_the_wrong_type_or_unknown_before_the_tool_runs()
    {
        await using var assistant = await Assistant.ConnectAsync(User);

        var error = await assistant.CallForErrorAsync("create_task", new { priority = 3, tags = "home", due = new { dateTime = 9, zone = "UTC" }, due_date = "2427-01-01" });

        Assert.That(error, Does.Contain("- title: Is required."));
        Assert.That(error, Does.Contain("- priority: Must be a string or null."));
        Assert.That(error, Does.Contain("- tags: Must be an array or null."));
        Assert.That(error, Does.Contain("- due.dateTime: Must be a string or null."));
        Assert.That(error, Does.Contain("- due.zone: Is not an argument here; the ones there are: dateTime, date, timeZone."));
        Assert.That(error, Does.Contain("- due_date: Is not an argument here"));
        Assert.That(await assistant.CallForErrorAsync("list_tasks", new { limit = "many" }), Does.Contain("- limit: Must be a whole number or null."));
        Assert.That(await assistant.CallForErrorAsync("get_task", new { id = "42" }), Does.Contain("- id: Must be an id"));
        await AssertNothingStoredAsync();
    }

    [Test]
    public async Task Should_refuse_text_the_database_cannot_store_wherever_it_is_in_the_arguments()
    {
        await using var assistant = await Assistant.ConnectAsync(User);

        var error = await assistant.CallForErrorAsync("create_task", new
        {
            title = "Nul\0here", tags = new[] { "fine", "nul\0" }, due = new { dateTime = "2427-01-01T09:00", timeZone = "Europe/Paris\0" },
        });

        Assert.That(error.Split('\n').Skip(1).Select(line => line.Split(':')[0]),
            Is.EquivalentTo(new[] { "- title", "- tags[1]", "- due.timeZone" }));
        Assert.That(await assistant.CallForErrorAsync("list_tasks", new { q = "a\0b" }), Does.Contain("- q: Must not contain the character U+0000"));
        await AssertNothingStoredAsync();
    }

    private async Task AssertNothingStoredAsync() =>
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).Titles(), Is.Empty);
}
