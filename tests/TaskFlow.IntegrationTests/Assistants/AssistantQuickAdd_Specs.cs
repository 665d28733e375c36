using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Assistants;

/// <summary>An assistant hands over the user's own words; quick add reads them as the page's box does.</summary>
public sealed class When_an_assistant_adds_a_task_in_words : SignedInSpec
{
    private const string PayRent = "Pay rent every month on the 1st at 9am !high #home remind me 1 day before";

    protected override string TimeZone => "America/New_York";

    [Test]
    public async Task Should_create_the_task_the_words_describe_as_REST_quick_add_does()
    {
        await using var assistant = await Assistant.ConnectAsync(User);

        var created = await assistant.CallForAsync("quick_add", new { text = PayRent });

        var rest = await User.GetJsonAsync($"{TaskApi.Tasks}/{created.Id()}");
        Assert.Multiple(() =>
        {
            Assert.That(rest.GetProperty("title").GetString(), Is.EqualTo("Pay rent"));
            Assert.That(rest.GetProperty("priority").GetString(), Is.EqualTo("high"));
            Assert.That(rest.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "home" }));
            Assert.That(rest.GetProperty("recurrence").GetString(), Is.EqualTo("FREQ=MONTHLY;BYMONTHDAY=1"));
            Assert.That(rest.GetProperty("due").GetProperty("dateTime").GetString(), Does.EndWith("-01T09:00:00"));
            Assert.That(rest.GetProperty("due").GetProperty("timeZone").GetString(), Is.EqualTo("America/New_York"));
            Assert.That(rest.GetProperty("reminders").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "P1D" }));
        });
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).Titles(), Is.EqualTo(new[] { "Pay rent" }));
    }

    [Test]
    public async Task Should_answer_what_it_understood_on_a_dry_run_and_create_nothing()
    {
        await using var assistant = await Assistant.ConnectAsync(User);

        var preview = await assistant.CallForAsync("quick_add", new { text = PayRent, dryRun = true });

        Assert.That(preview.GetProperty("title").GetString(), Is.EqualTo("Pay rent"));
        Assert.That(preview.GetProperty("understood").EnumerateArray().Select(u => u.GetProperty("kind").GetString()),
            Is.EqualTo(new[] { "recurrence", "due", "priority", "tag", "reminder" }));
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).Titles(), Is.Empty);
    }

    [Test]
    public async Task Should_refuse_words_that_leave_no_title_naming_text_and_create_nothing()
    {
        await using var assistant = await Assistant.ConnectAsync(User);

        var error = await assistant.CallForErrorAsync("quick_add", new { text = "tomorrow 5pm" });

        Assert.That(error, Does.StartWith("Invalid input").And.Contains("- text: "));
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).Titles(), Is.Empty);
    }
}
