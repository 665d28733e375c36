using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;
using static TaskFlow.IntegrationTests.Recurrence.SeriesApi;

namespace TaskFlow.IntegrationTests.Notifications;

/// <summary>
/// Notification preferences on the shared API and worker: what they do not let through is stored in the inbox and not
/// pushed. One owner's pushes arrive in the order their notifications were stored, so receiving a later one proves an
/// earlier one was withheld, not late.
/// </summary>
public sealed class Preferences_Specs : SignedInSpec
{
    private const string Preferences = "/api/v1/notifications/preferences";
    private const string Inbox = "/api/v1/notifications";

    private static readonly string[] EveryKind =
        ["task.created", "task.updated", "task.completed", "task.reopened", "task.deleted", "reminder.triggered", "occurrence.created"];

    [OneTimeSetUp]
    public static Task WaitForTheLiveQueueAsync() => NotificationListener.WaitUntilTheApiListensAsync();

    [Test]
    public async Task Preferences_default_to_every_kind_live_without_quiet_hours_and_read_back_as_saved()
    {
        var defaults = await User.GetJsonAsync(Preferences);
        Assert.Multiple(() =>
        {
            Assert.That(Live(defaults), Is.EqualTo(EveryKind));
            Assert.That(defaults.GetProperty("quietHours").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(defaults.GetProperty("timeZone").GetString(), Is.EqualTo("Europe/Paris"));
        });

        var saved = await SaveAsync(User, new
        {
            live = new[] { "reminder.triggered", "Task.Created", "task.deleted", "task.deleted" },
            quietHours = new { start = "22:00", end = "7:00" },
            timeZone = "Asia/Tokyo",
        });
        var read = await User.GetJsonAsync(Preferences);
        Assert.Multiple(() =>
        {
            Assert.That(Live(saved), Is.EqualTo(new[] { "task.created", "task.deleted", "reminder.triggered" }), "known kinds, once each, in their order");
            Assert.That(saved.GetProperty("quietHours").GetProperty("start").GetString(), Is.EqualTo("22:00"));
            Assert.That(saved.GetProperty("quietHours").GetProperty("end").GetString(), Is.EqualTo("07:00"));
            Assert.That(saved.GetProperty("timeZone").GetString(), Is.EqualTo("Europe/Paris"), "the zone is the profile's; a PUT does not change it");
            Assert.That(read.ToString(), Is.EqualTo(saved.ToString()));
        });

        (await User.PutAsJsonAsync("/api/v1/accounts/me", new { timeZone = "America/New_York" })).EnsureSuccessStatusCode();
        var none = await SaveAsync(User, new { live = Array.Empty<string>(), quietHours = (object?)null });
        Assert.Multiple(async () =>
        {
            Assert.That(Live(none), Is.Empty);
            Assert.That(none.GetProperty("quietHours").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That((await User.GetJsonAsync(Preferences)).GetProperty("timeZone").GetString(), Is.EqualTo("America/New_York"));
        });
    }

    [Test]
    public async Task Each_invalid_field_is_named_and_leaves_the_saved_preferences_as_they_were()
    {
        var saved = await SaveAsync(User, new { live = new[] { "task.completed" }, quietHours = new { start = "23:00", end = "06:30" } });

        var cases = new (object Body, string Field)[]
        {
            (new { live = new[] { "task.created", "task.updated", "task.exploded" } }, "live[2]"),
            (new { live = new[] { "task.created", null } }, "live[1]"),
            (new { quietHours = new { start = "22:00", end = "07:00" } }, "live"),
            (new { live = "task.created" }, "live"),
            (new { live = EveryKind, quietHours = new { start = "25:00", end = "07:00" } }, "quietHours.start"),
            (new { live = EveryKind, quietHours = new { start = "10pm", end = "07:00" } }, "quietHours.start"),
            (new { live = EveryKind, quietHours = new { start = "22:00", end = "07:60" } }, "quietHours.end"),
            (new { live = EveryKind, quietHours = new { start = "22:00" } }, "quietHours.end"),
            (new { live = EveryKind, quietHours = new { start = "22:00", end = "22:00" } }, "quietHours"),
        };
        foreach (var (body, field) in cases)
        {
            await (await User.PutAsJsonAsync(Preferences, body)).ShouldNameFieldAsync(field);
            Assert.That((await User.GetJsonAsync(Preferences)).ToString(), Is.EqualTo(saved.ToString()), $"unchanged after the bad {field}");
        }
    }

    [Test]
    public async Task Another_users_quiet_hours_do_not_silence_yours()
    {
        using var other = await IntegrationSetup.Api.NewUserAsync();
        var theirs = await SaveAsync(other, new { live = EveryKind, quietHours = AroundNow() });
        await using var mine = await NotificationListener.ConnectAsync(User);

        var task = await User.CreateTaskAsync(new { title = "Not hushed" });
        await mine.WaitForAsync(n => n.TaskId == Guid.Parse(task.Id()) && n.Kind == "task.created");

        Assert.Multiple(async () =>
        {
            Assert.That(Live(await User.GetJsonAsync(Preferences)), Is.EqualTo(EveryKind));
            Assert.That((await User.GetJsonAsync(Preferences)).GetProperty("quietHours").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That((await other.GetJsonAsync(Preferences)).ToString(), Is.EqualTo(theirs.ToString()));
        });
    }

    [Test]
    public async Task A_kind_left_out_of_live_is_stored_in_the_inbox_and_not_pushed_while_the_next_kind_is_pushed()
    {
        // Quiet hours that do not cover now change nothing.
        var later = TimeOnly.FromDateTime(ParisNow().DateTime);
        await SaveAsync(User, new
        {
            live = EveryKind.Where(k => k != "task.created"),
            quietHours = new { start = Hhmm(later.AddHours(3)), end = Hhmm(later.AddHours(4)) },
        });
        await using var listener = await NotificationListener.ConnectAsync(User);

        var task = await User.CreateTaskAsync(new { title = "Made quietly" });
        var id = Guid.Parse(task.Id());
        (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/complete", null)).EnsureSuccessStatusCode();
        var received = await listener.WaitForAsync(n => n.TaskId == id && n.Kind == "task.completed");

        var inbox = await Eventually.MatchesAsync(() => User.GetJsonAsync(Inbox), p => KindsOf(p, id).Count >= 2, what: "both in the inbox");
        Assert.Multiple(() =>
        {
            Assert.That(received.Where(n => n.TaskId == id).Select(n => n.Kind), Is.EqualTo(new[] { "task.completed" }));
            Assert.That(KindsOf(inbox, id), Is.EqualTo(new[] { "task.completed", "task.created" }));
        });
    }

    [Test]
    public async Task During_quiet_hours_a_change_reaches_the_inbox_only_and_once_they_are_lifted_the_next_is_pushed()
    {
        await SaveAsync(User, new { live = EveryKind, quietHours = AroundNow() });
        await using var listener = await NotificationListener.ConnectAsync(User);

        var hushed = Guid.Parse((await User.CreateTaskAsync(new { title = "Hushed" })).Id());
        await Eventually.MatchesAsync(() => User.GetJsonAsync(Inbox), p => KindsOf(p, hushed).Contains("task.created"), what: "the hushed change in the inbox");

        await SaveAsync(User, new { live = EveryKind });
        var heard = Guid.Parse((await User.CreateTaskAsync(new { title = "Heard" })).Id());
        var received = await listener.WaitForAsync(n => n.TaskId == heard);

        Assert.That(received.Select(n => n.TaskId), Has.None.EqualTo(hushed));
    }

    [Test]
    public async Task Completing_a_task_that_repeats_from_completion_tells_of_the_next_occurrence()
    {
        await using var listener = await NotificationListener.ConnectAsync(User);
        var first = await User.CreateTaskAsync(new
        {
            title = "Water the ferns",
            due = new { dateTime = "2431-05-06T18:30", timeZone = Zone },
            recurrence = "every 3 days",
            recurrenceMode = "completion",
        });
        (await User.PostAsync($"{TaskApi.Tasks}/{first.Id()}/complete", null)).EnsureSuccessStatusCode();
        var next = (await OccurrencesAsync(IntegrationSetup.Database, first.SeriesId(), 2))[1].Id;

        var pushed = (await listener.WaitForAsync(n => n.TaskId == next)).Single(n => n.TaskId == next);
        var inbox = await Eventually.MatchesAsync(() => User.GetJsonAsync(Inbox),
            p => KindsOf(p, next).Count > 0 && KindsOf(p, Guid.Parse(first.Id())).Count >= 2, what: "the completion and the occurrence in the inbox");
        Assert.Multiple(() =>
        {
            Assert.That(KindsOf(inbox, next), Is.EqualTo(new[] { "occurrence.created" }));
            Assert.That(KindsOf(inbox, Guid.Parse(first.Id())), Is.EqualTo(new[] { "task.completed", "task.created" }), "the series' first is created by its owner");
            Assert.That(pushed.Kind, Is.EqualTo("occurrence.created"));
            Assert.That(pushed.Title, Is.EqualTo("Water the ferns"));
        });
    }

    private static async Task<JsonElement> SaveAsync(HttpClient user, object preferences)
    {
        var response = await user.PutAsJsonAsync(Preferences, preferences);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static List<string> Live(JsonElement preferences) =>
        preferences.GetProperty("live").EnumerateArray().Select(k => k.GetString()!).ToList();

    /// <summary>The kinds of the inbox's entries about one task, newest first.</summary>
    private static List<string> KindsOf(JsonElement inbox, Guid taskId) =>
        inbox.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("taskId").GetGuid() == taskId)
            .Select(i => i.GetProperty("kind").GetString()!)
            .ToList();

    /// <summary>Quiet hours from an hour ago to an hour ahead on the Paris clock: long enough for any spec.</summary>
    private static object AroundNow()
    {
        var now = TimeOnly.FromDateTime(ParisNow().DateTime);
        return new { start = Hhmm(now.AddHours(-1)), end = Hhmm(now.AddHours(1)) };
    }

    private static DateTimeOffset ParisNow() => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(Zone));

    private static string Hhmm(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
