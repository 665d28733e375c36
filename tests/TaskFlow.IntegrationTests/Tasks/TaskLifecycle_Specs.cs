using System.Net;
using System.Net.Http.Json;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Tasks;

public class When_a_user_works_with_a_task : SignedInSpec
{
    [Test]
    public async Task Should_store_every_field_as_normalised()
    {
        var created = await User.CreateTaskAsync(new
        {
            title = "  Renew passport  ",
            description = "Photos first",
            priority = "High",
            tags = new[] { " Admin ", "admin", "TRAVEL" },
            due = new { dateTime = "2427-03-01T09:00", timeZone = "America/New_York" },
            reminders = new[] { "1 day", "PT15M", "15 minutes" },
            recurrence = "every 2 weeks",
        });

        var fetched = await User.GetJsonAsync($"{TaskApi.Tasks}/{created.Id()}");
        Assert.Multiple(() =>
        {
            Assert.That(fetched.GetProperty("title").GetString(), Is.EqualTo("Renew passport"));
            Assert.That(fetched.GetProperty("description").GetString(), Is.EqualTo("Photos first"));
            Assert.That(fetched.GetProperty("priority").GetString(), Is.EqualTo("high"));
            Assert.That(fetched.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "admin", "travel" }));
            Assert.That(fetched.GetProperty("due").GetProperty("dateTime").GetString(), Is.EqualTo("2427-03-01T09:00:00"));
            Assert.That(fetched.GetProperty("due").GetProperty("timeZone").GetString(), Is.EqualTo("America/New_York"));
            Assert.That(fetched.GetProperty("due").GetProperty("at").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2427, 3, 1, 14, 0, 0, TimeSpan.Zero)));
            Assert.That(fetched.GetProperty("reminders").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "PT15M", "P1D" }));
            Assert.That(fetched.GetProperty("recurrence").GetString(), Is.EqualTo("FREQ=WEEKLY;INTERVAL=2"));
            Assert.That(fetched.GetProperty("recurrenceSummary").GetString(), Is.EqualTo("Every 2 weeks"));
            Assert.That(fetched.GetProperty("status").GetString(), Is.EqualTo("open"));
            Assert.That(fetched.Version(), Is.EqualTo(1));
            Assert.That(fetched.GetProperty("createdAt").GetString(), Is.EqualTo(created.GetProperty("createdAt").GetString()),
                "the answer to the write shows what a later read shows");
        });
    }

    [Test]
    public async Task Should_use_the_profile_zone_and_end_an_all_day_task_at_midnight()
    {
        var created = await User.CreateTaskAsync(new { title = "Pay rent", due = new { date = "2427-01-05" } });

        var due = created.GetProperty("due");
        Assert.That(due.GetProperty("allDay").GetBoolean(), Is.True);
        Assert.That(due.GetProperty("date").GetString(), Is.EqualTo("2427-01-05"));
        Assert.That(due.GetProperty("timeZone").GetString(), Is.EqualTo("Europe/Paris"));
        Assert.That(due.GetProperty("at").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2427, 1, 5, 23, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task Should_answer_201_with_location_and_etag()
    {
        var response = await User.PostAsJsonAsync(TaskApi.Tasks, new { title = "Water plants" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var task = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/tasks/{task.Id()}"));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
    }

    [Test]
    public async Task Should_replace_the_fields_on_update_and_bump_the_version()
    {
        var created = await User.CreateTaskAsync(new { title = "Draft", tags = new[] { "old" } });

        var response = await User.PutTaskAsync(created.Id(), new { title = "Final", priority = "low", version = 1 });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var fetched = await User.GetJsonAsync($"{TaskApi.Tasks}/{created.Id()}");
        Assert.That(fetched.GetProperty("title").GetString(), Is.EqualTo("Final"));
        Assert.That(fetched.GetProperty("priority").GetString(), Is.EqualTo("low"));
        Assert.That(fetched.GetProperty("tags").GetArrayLength(), Is.Zero);
        Assert.That(fetched.Version(), Is.EqualTo(2));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
    }

    [Test]
    public async Task Should_accept_the_version_as_an_if_match_etag()
    {
        var created = await User.CreateTaskAsync(new { title = "Call mum" });

        var response = await User.PutTaskAsync(created.Id(), new { title = "Call mum back" }, ifMatch: "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Should_complete_and_reopen()
    {
        var created = await User.CreateTaskAsync(new { title = "File taxes" });

        var completed = await User.PostAsync($"{TaskApi.Tasks}/{created.Id()}/complete", null);
        var afterComplete = await User.GetJsonAsync($"{TaskApi.Tasks}/{created.Id()}");
        Assert.That(completed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(afterComplete.GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(afterComplete.GetProperty("completedAt").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.String));

        var again = await User.PostAsync($"{TaskApi.Tasks}/{created.Id()}/complete", null);
        Assert.That((await User.GetJsonAsync($"{TaskApi.Tasks}/{created.Id()}")).Version(), Is.EqualTo(2), "completing twice changes nothing");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var reopened = await User.PostAsync($"{TaskApi.Tasks}/{created.Id()}/reopen", null);
        var afterReopen = await User.GetJsonAsync($"{TaskApi.Tasks}/{created.Id()}");
        Assert.That(reopened.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(afterReopen.GetProperty("status").GetString(), Is.EqualTo("open"));
        Assert.That(afterReopen.GetProperty("completedAt").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        Assert.That(afterReopen.Version(), Is.EqualTo(3));
    }

    [Test]
    public async Task Should_delete_and_then_not_find_it()
    {
        var created = await User.CreateTaskAsync(new { title = "Throw away" });

        var deleted = await User.DeleteAsync($"{TaskApi.Tasks}/{created.Id()}");
        var fetched = await User.GetAsync($"{TaskApi.Tasks}/{created.Id()}");
        var deletedAgain = await User.DeleteAsync($"{TaskApi.Tasks}/{created.Id()}");

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await fetched.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await deletedAgain.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Should_mark_an_open_task_past_its_due_time_overdue()
    {
        var late = await User.CreateTaskAsync(new { title = "Late", due = new { dateTime = "2020-01-01T09:00" } });
        var later = await User.CreateTaskAsync(new { title = "Later", due = new { dateTime = "2999-01-01T09:00" } });

        Assert.That(late.GetProperty("overdue").GetBoolean(), Is.True);
        Assert.That(later.GetProperty("overdue").GetBoolean(), Is.False);
    }
}
