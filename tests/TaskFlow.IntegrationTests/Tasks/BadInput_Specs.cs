using System.Net;
using System.Net.Http.Json;
using System.Text;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Tasks;

public class When_a_task_is_written_with_bad_input : SignedInSpec
{
    private static readonly object FarMorning = new { dateTime = "2100-03-01T08:00:00Z", timeZone = "Europe/Paris" };

    private static IEnumerable<TestCaseData> BadTasks()
    {
        yield return new TestCaseData(new { title = "" }, "title").SetName("an empty title");
        yield return new TestCaseData(new { title = "   " }, "title").SetName("a blank title");
        yield return new TestCaseData(new { description = "no title" }, "title").SetName("a missing title");
        yield return new TestCaseData(new { title = new string('x', 201) }, "title").SetName("a title over 200 characters");
        yield return new TestCaseData(new { title = "ok", description = new string('x', 4001) }, "description").SetName("a description over 4000 characters");
        yield return new TestCaseData(new { title = "ok", priority = "urgent" }, "priority").SetName("an unknown priority");
        yield return new TestCaseData(new { title = "ok", priority = "3" }, "priority").SetName("a numeric priority");
        yield return new TestCaseData(new { title = "ok", tags = Enumerable.Range(0, 11).Select(i => $"t{i}").ToArray() }, "tags").SetName("eleven tags");
        yield return new TestCaseData(new { title = "ok", tags = new[] { "fine", "" } }, "tags[1]").SetName("an empty tag");
        yield return new TestCaseData(new { title = "ok", tags = new[] { new string('t', 33) } }, "tags[0]").SetName("a tag over 32 characters");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "2427-01-01T09:00", timeZone = "Mars/Base" } }, "due.timeZone").SetName("an unknown time zone");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "10000-01-01T09:00" } }, "due.dateTime").SetName("a due date in year 10000");
        yield return new TestCaseData(new { title = "ok", due = new { date = "10000-01-01" } }, "due.date").SetName("an all-day date in year 10000");
        yield return new TestCaseData(new { title = "ok", due = new { date = "9999-12-31", timeZone = "UTC" } }, "due.date").SetName("an all-day date whose end is in year 10000");
        yield return new TestCaseData(new { title = "ok", due = new { date = "9999-12-31", timeZone = "Pacific/Kiritimati" } }, "due.date").SetName("an all-day date on the last day in Kiritimati");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "9999-12-31T23:59", timeZone = "Etc/GMT+12" } }, "due.dateTime").SetName("a wall time whose instant is in year 10000");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "9999-12-31T23:59:00-12:00", timeZone = "UTC" } }, "due.dateTime").SetName("an instant with an offset in year 10000");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "next tuesday" } }, "due.dateTime").SetName("an unreadable due time");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "2427-01-01T09:00", date = "2427-01-01" } }, "due.date").SetName("both a time and a date");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "2427-01-01T09:00" }, reminders = new[] { "-PT15M" } }, "reminders[0]").SetName("a negative reminder offset");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "2427-01-01T09:00" }, reminders = new[] { "soon" } }, "reminders[0]").SetName("an unreadable reminder offset");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "2427-01-01T09:00" }, reminders = new[] { "1 minute", "2 minutes", "3 minutes", "4 minutes", "5 minutes", "6 minutes" } }, "reminders").SetName("six reminders");
        yield return new TestCaseData(new { title = "ok", reminders = new[] { "PT15M" } }, "reminders").SetName("reminders without a due date");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "2427-01-01T09:00" }, recurrence = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" }, "recurrence").SetName("an impossible RRULE");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "2427-01-01T09:00" }, recurrence = "FREQ=SOMETIMES" }, "recurrence").SetName("an unreadable RRULE");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "2427-01-01T09:00" }, recurrence = "weekly on funday" }, "recurrence").SetName("a weekly shorthand on an unknown day");
        yield return new TestCaseData(new { title = "ok", due = FarMorning, recurrence = "FREQ=DAILY;FREQ=WEEKLY" }, "recurrence").SetName("a repeated FREQ");
        yield return new TestCaseData(new { title = "ok", due = FarMorning, recurrence = "FREQ=WEEKLY;BYDAY=MO;BYDAY=TU" }, "recurrence").SetName("a repeated BYDAY");
        yield return new TestCaseData(new { title = "ok", due = FarMorning, recurrence = "FREQ=DAILY;UNTIL=garbage" }, "recurrence").SetName("an unreadable UNTIL");
        yield return new TestCaseData(new { title = "ok", due = FarMorning, recurrence = "FREQ=3" }, "recurrence").SetName("a numeric FREQ");
        yield return new TestCaseData(new { title = "ok", due = FarMorning, recurrence = "FREQ=DAILY;COUNT=+3" }, "recurrence").SetName("a signed COUNT");
        yield return new TestCaseData(new { title = "ok", due = FarMorning, recurrence = "FREQ=WEEKLY;BYMONTHDAY=1" }, "recurrence").SetName("BYMONTHDAY in a weekly rule");
        yield return new TestCaseData(new { title = "ok", due = FarMorning, recurrence = "FREQ=DAILY;BYHOUR=25" }, "recurrence").SetName("an hour out of range");
        yield return new TestCaseData(new { title = "ok", recurrence = "daily" }, "recurrence").SetName("a recurrence without a due date");
        yield return new TestCaseData(new { title = "a\u0000b" }, "title").SetName("NUL in the title");
        yield return new TestCaseData(new { title = "ok", description = "a\u0000b" }, "description").SetName("NUL in the description");
        yield return new TestCaseData(new { title = "ok", tags = new[] { "fine", "a\u0000" } }, "tags[1]").SetName("NUL in a tag");
        yield return new TestCaseData(new { title = "ok", priority = "\u0000" }, "priority").SetName("NUL as the priority");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "2427-01-01T09:00", timeZone = "Europe/Paris\u0000" } }, "due.timeZone").SetName("NUL in the time zone");
        yield return new TestCaseData(new { title = "ok", due = new { dateTime = "2427-01-01T09:00" }, recurrence = "daily\u0000" }, "recurrence").SetName("NUL in the recurrence");
        yield return new TestCaseData(new { title = 42 }, "title").SetName("a number for the title");
        yield return new TestCaseData(new { title = "ok", tags = "admin" }, "tags").SetName("a string for the tags");
    }

    [TestCaseSource(nameof(BadTasks))]
    public async Task Should_answer_400_naming_the_field_and_store_nothing(object task, string field)
    {
        var created = await User.PostAsJsonAsync(TaskApi.Tasks, task);

        await created.ShouldNameFieldAsync(field);
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [TestCaseSource(nameof(BadTasks))]
    public async Task Should_answer_400_to_an_update_and_change_nothing(object task, string field)
    {
        var original = await User.CreateTaskAsync(new { title = "Original" });

        var updated = await User.PutTaskAsync(original.Id(), task, ifMatch: "\"1\"");

        await updated.ShouldNameFieldAsync(field);
        var stored = await User.GetJsonAsync($"{TaskApi.Tasks}/{original.Id()}");
        Assert.That(stored.GetProperty("title").GetString(), Is.EqualTo("Original"));
        Assert.That(stored.Version(), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_answer_400_to_malformed_json()
    {
        var response = await User.PostAsync(TaskApi.Tasks, new StringContent("{\"title\": \"unterminated", Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Should_answer_413_to_a_body_over_64_KB()
    {
        var huge = $"{{\"title\": \"big\", \"description\": \"{new string('x', 70 * 1024)}\"}}";

        var response = await User.PostAsync(TaskApi.Tasks, new StringContent(huge, Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [TestCase("/api/v1/tasks/not-a-guid")]
    [TestCase("/api/v1/tasks/00000000-0000-0000-0000-000000000001")]
    public async Task Should_answer_404_for_an_unknown_task(string url)
    {
        var response = await User.GetAsync(url);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
