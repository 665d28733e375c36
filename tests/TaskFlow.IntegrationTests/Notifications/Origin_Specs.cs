using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Reminders;
using TaskFlow.IntegrationTests.Tasks;
using static TaskFlow.IntegrationTests.Recurrence.SeriesApi;

namespace TaskFlow.IntegrationTests.Notifications;

/// <summary>
/// Who did it: a change made in one browser window (X-TaskFlow-Client) tells its notification so, and that window's bell
/// leaves it out, while every other window, and what the system does, still counts. The shared API and worker.
/// </summary>
public sealed class Origin_Specs : SignedInSpec
{
    private const string Inbox = "/api/v1/notifications";
    private const string Client = "X-TaskFlow-Client";

    [OneTimeSetUp]
    public static Task WaitForTheLiveQueueAsync() => NotificationListener.WaitUntilTheApiListensAsync();

    [Test]
    public async Task A_change_tells_the_window_that_made_it_and_only_that_windows_bell_leaves_it_out()
    {
        await using var listener = await NotificationListener.ConnectAsync(User);
        var made = await CreateAsync(new { title = "Made here" }, "tab-a");
        var id = Guid.Parse(made.Id());
        var pushed = (await listener.WaitForAsync(n => n.TaskId == id)).Single(n => n.TaskId == id);
        (await SendAsync(HttpMethod.Post, $"{TaskApi.Tasks}/{made.Id()}/complete", null, null)).EnsureSuccessStatusCode();
        await Eventually.MatchesAsync(() => InboxAsync(null), p => p.GetProperty("items").GetArrayLength() >= 2, what: "both in the inbox");

        var inTabA = await InboxAsync("tab-a");
        Assert.Multiple(async () =>
        {
            Assert.That(pushed.Origin, Is.EqualTo("tab-a"), "pushed live with its origin");
            Assert.That(Origins(inTabA), Is.EqualTo(new[] { ("task.completed", (string?)null), ("task.created", "tab-a") }), "newest first");
            Assert.That(inTabA.GetProperty("unreadCount").GetInt32(), Is.EqualTo(1), "the window that created it counts only the completion");
            Assert.That((await InboxAsync("tab-b")).GetProperty("unreadCount").GetInt32(), Is.EqualTo(2), "another window counts both");
            Assert.That((await InboxAsync(null)).GetProperty("unreadCount").GetInt32(), Is.EqualTo(2), "a client without the header counts both");
        });
    }

    [Test]
    public async Task A_reminder_that_fires_counts_in_the_window_that_set_it()
    {
        var task = await CreateAsync(ReminderApi.WithReminderAt("Call the plumber", ReminderApi.SecondsAhead(2)), "tab-a");
        var inbox = await Eventually.MatchesAsync(() => InboxAsync("tab-a"),
            p => Origins(p).Any(o => o.Kind == "reminder.triggered"), TimeSpan.FromSeconds(20), "the fired reminder in the inbox");

        Assert.Multiple(() =>
        {
            Assert.That(Origins(inbox), Is.EqualTo(new[] { ("reminder.triggered", (string?)null), ("task.created", "tab-a") }));
            Assert.That(inbox.GetProperty("items")[0].GetProperty("taskId").GetString(), Is.EqualTo(task.Id()));
            Assert.That(inbox.GetProperty("unreadCount").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task The_next_occurrence_the_system_creates_counts_in_the_window_that_completed_the_last()
    {
        var first = await CreateAsync(new
        {
            title = "Water the ferns",
            due = new { dateTime = "2431-05-06T18:30", timeZone = "Europe/Paris" },
            recurrence = "every 3 days",
            recurrenceMode = "completion",
        }, "tab-a");
        (await SendAsync(HttpMethod.Post, $"{TaskApi.Tasks}/{first.Id()}/complete", null, "tab-a")).EnsureSuccessStatusCode();
        var next = (await OccurrencesAsync(IntegrationSetup.Database, first.SeriesId(), 2))[1].Id;
        var inbox = await Eventually.MatchesAsync(() => InboxAsync("tab-a"),
            p => p.GetProperty("items").GetArrayLength() >= 3, what: "the creation, the completion and the occurrence in the inbox");

        Assert.Multiple(() =>
        {
            Assert.That(Origins(inbox), Is.EqualTo(new[] { ("occurrence.created", (string?)null), ("task.completed", "tab-a"), ("task.created", "tab-a") }));
            Assert.That(inbox.GetProperty("items")[0].GetProperty("taskId").GetGuid(), Is.EqualTo(next));
            Assert.That(inbox.GetProperty("unreadCount").GetInt32(), Is.EqualTo(1), "only the occurrence");
        });
    }

    [TestCase("has space")]
    [TestCase("semi;colon")]
    [TestCase("<script>")]
    [TestCase("a,b")]
    [TestCase("0123456789012345678901234567890123456789012345678901234567890123x")]
    public async Task A_malformed_client_id_is_refused_naming_the_header_and_changes_nothing(string hostile)
    {
        var created = await SendAsync(HttpMethod.Post, TaskApi.Tasks, new { title = "Never made" }, hostile);
        var listed = await SendAsync(HttpMethod.Get, Inbox, null, hostile);

        await ShouldNameTheHeaderAsync(created);
        await ShouldNameTheHeaderAsync(listed);
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).Titles(), Is.Empty);
    }

    [Test]
    public async Task The_openapi_document_describes_the_header_on_the_notification_list()
    {
        var document = await User.GetJsonAsync("/openapi/v1.json");
        var parameters = document.GetProperty("paths").GetProperty(Inbox).GetProperty("get").GetProperty("parameters").EnumerateArray();

        var header = parameters.Single(p => p.GetProperty("in").GetString() == "header");
        Assert.Multiple(() =>
        {
            Assert.That(header.GetProperty("name").GetString(), Is.EqualTo(Client));
            Assert.That(header.GetProperty("description").GetString(), Does.Contain("unreadCount").And.Contain("not security-relevant"));
        });
    }

    private static async Task ShouldNameTheHeaderAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.EqualTo(new[] { Client }));
    }

    private async Task<JsonElement> CreateAsync(object task, string? client)
    {
        var response = await SendAsync(HttpMethod.Post, TaskApi.Tasks, task, client);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<JsonElement> InboxAsync(string? client)
    {
        var response = await SendAsync(HttpMethod.Get, Inbox, null, client);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>As a browser window sends it: its id in the header, or none.</summary>
    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body, string? client)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (client is not null)
            request.Headers.TryAddWithoutValidation(Client, client);
        return User.SendAsync(request);
    }

    /// <summary>Each notification's kind and origin, newest first.</summary>
    private static List<(string Kind, string? Origin)> Origins(JsonElement inbox) =>
        inbox.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("kind").GetString()!, i.TryGetProperty("origin", out var o) ? o.GetString() : null))
            .ToList();
}
