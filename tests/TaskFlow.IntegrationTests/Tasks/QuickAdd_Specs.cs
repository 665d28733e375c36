using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Tasks;

/// <summary>POST /api/v1/tasks/quick: one line of text becomes a task, created as POST /api/v1/tasks creates one.</summary>
public class When_a_user_quick_adds_a_task : SignedInSpec
{
    private const string Quick = TaskApi.Tasks + "/quick";
    private const string PayRent = "Pay rent every month on the 1st at 9am !high #home remind me 1 day before";

    protected override string TimeZone => "Europe/Berlin";

    [Test]
    public async Task Should_create_the_task_the_text_describes()
    {
        var response = await User.PostAsJsonAsync(Quick, new { text = PayRent });

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        var created = JsonDocument.Parse(body).RootElement;
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"{TaskApi.Tasks}/{created.Id()}"));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        var fetched = await User.GetJsonAsync($"{TaskApi.Tasks}/{created.Id()}");
        Assert.Multiple(() =>
        {
            Assert.That(fetched.GetProperty("title").GetString(), Is.EqualTo("Pay rent"));
            Assert.That(fetched.GetProperty("priority").GetString(), Is.EqualTo("high"));
            Assert.That(fetched.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "home" }));
            Assert.That(fetched.GetProperty("recurrence").GetString(), Is.EqualTo("FREQ=MONTHLY;BYMONTHDAY=1"));
            Assert.That(fetched.GetProperty("due").GetProperty("dateTime").GetString(), Is.EqualTo(NextFirstAtNine()));
            Assert.That(fetched.GetProperty("due").GetProperty("timeZone").GetString(), Is.EqualTo("Europe/Berlin"));
            Assert.That(fetched.GetProperty("reminders").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "P1D" }));
        });
    }

    [Test]
    public async Task Should_record_its_creation_in_the_history()
    {
        var response = await User.PostAsJsonAsync(Quick, new { text = "Buy milk tomorrow #home" });
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var history = (await Eventually.MatchesAsync(() => User.GetHistoryAsync(created.Id()),
            page => page?.GetProperty("items").GetArrayLength() >= 1, what: "the created entry"))!.Value;

        var entry = history.GetProperty("items")[0];
        Assert.That(entry.GetProperty("type").GetString(), Is.EqualTo("created"));
        Assert.That(entry.GetProperty("event").GetProperty("task").GetProperty("title").GetString(), Is.EqualTo("Buy milk"));
    }

    [Test]
    public async Task Should_preview_what_it_would_create_and_create_nothing()
    {
        var response = await User.PostAsJsonAsync($"{Quick}?dryRun=true", new { text = PayRent });

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var preview = JsonDocument.Parse(body).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(preview.GetProperty("title").GetString(), Is.EqualTo("Pay rent"));
            Assert.That(preview.GetProperty("request").GetProperty("recurrence").GetString(), Is.EqualTo("FREQ=MONTHLY;BYMONTHDAY=1"));
            Assert.That(preview.GetProperty("request").GetProperty("priority").GetString(), Is.EqualTo("high"));
            Assert.That(preview.GetProperty("due").GetProperty("dateTime").GetString(), Is.EqualTo(NextFirstAtNine()));
            Assert.That(preview.GetProperty("understood").EnumerateArray().Select(u => $"{u.GetProperty("kind").GetString()}: {u.GetProperty("text").GetString()}"),
                Is.EqualTo(new[] { "recurrence: every month on the 1st", "due: at 9am", "priority: !high", "tag: #home", "reminder: remind me 1 day before" }));
        });
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("tomorrow at 5pm #home")]
    [TestCase("Pay rent monthly on the 32nd")]
    [TestCase("Stretch every 2 hours on 4 Jan")]
    [TestCase("Remind me 1 day before nothing remind me 1 day before")]
    public async Task Should_refuse_text_that_makes_no_task_naming_text_and_create_nothing(string text)
    {
        var preview = await User.PostAsJsonAsync($"{Quick}?dryRun=true", new { text });
        var created = await User.PostAsJsonAsync(Quick, new { text });

        var previewProblem = await preview.ShouldNameFieldAsync("text");
        var createProblem = await created.ShouldNameFieldAsync("text");
        Assert.That(previewProblem.GetProperty("errors").ToString(), Is.EqualTo(createProblem.GetProperty("errors").ToString()));
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Should_refuse_a_missing_text_and_a_dry_run_that_is_not_true_or_false()
    {
        await (await User.PostAsJsonAsync(Quick, new { })).ShouldNameFieldAsync("text");
        await (await User.PostAsJsonAsync($"{Quick}?dryRun=maybe", new { text = "Buy milk" })).ShouldNameFieldAsync("dryRun");
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Should_answer_401_without_a_token()
    {
        using var anonymous = IntegrationSetup.Api.CreateClient();

        var response = await anonymous.PostAsJsonAsync(Quick, new { text = "Buy milk" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    /// <summary>The next 1st of a month at 09:00 in Berlin: today when it is the 1st before nine.</summary>
    private static string NextFirstAtNine()
    {
        var now = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/Berlin"]).LocalDateTime;
        var first = new LocalDate(now.Year, now.Month, 1).At(new LocalTime(9, 0));
        return (first > now ? first : first.PlusMonths(1)).ToString("uuuu'-'MM'-'dd'T'HH':'mm':'ss", null);
    }
}
