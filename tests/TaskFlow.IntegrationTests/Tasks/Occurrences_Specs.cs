using System.Net;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Tasks;

public class When_a_user_previews_a_repeating_task : SignedInSpec
{
    [Test]
    public async Task Should_list_the_next_dates_at_the_same_wall_time_across_a_dst_change()
    {
        // Berlin moves its clocks forward on 28 March 2427: 09:00 stays 09:00, one hour less after UTC.
        var task = await User.CreateTaskAsync(new
        {
            title = "Stand-up",
            due = new { dateTime = "2427-03-26T09:00", timeZone = "Europe/Berlin" },
            recurrence = "daily",
        });

        var preview = await User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}/occurrences?count=4");

        var occurrences = preview.GetProperty("occurrences").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(preview.GetProperty("recurrence").GetString(), Is.EqualTo("FREQ=DAILY"));
            Assert.That(preview.GetProperty("summary").GetString(), Is.EqualTo("Daily"));
            Assert.That(occurrences.Select(o => o.GetProperty("dateTime").GetString()), Is.EqualTo(new[]
            {
                "2427-03-27T09:00:00", "2427-03-28T09:00:00", "2427-03-29T09:00:00", "2427-03-30T09:00:00",
            }));
            Assert.That(occurrences.Select(o => o.GetProperty("at").GetDateTimeOffset()), Is.EqualTo(new[]
            {
                new DateTimeOffset(2427, 3, 27, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2427, 3, 28, 7, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2427, 3, 29, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2427, 3, 30, 7, 0, 0, TimeSpan.Zero),
            }));
            Assert.That(occurrences.Select(o => o.GetProperty("timeZone").GetString()).Distinct(), Is.EqualTo(new[] { "Europe/Berlin" }));
        });
    }

    [Test]
    public async Task Should_show_ten_by_default_and_stop_where_the_series_ends()
    {
        var endless = await User.CreateTaskAsync(new
        {
            title = "Water the plants", due = new { dateTime = "2427-01-04T08:00", timeZone = "UTC" }, recurrence = "weekdays",
        });
        var counted = await User.CreateTaskAsync(new
        {
            title = "Physio", due = new { dateTime = "2427-01-04T08:00", timeZone = "UTC" }, recurrence = "FREQ=WEEKLY;COUNT=3",
        });

        Assert.That((await User.GetJsonAsync($"{TaskApi.Tasks}/{endless.Id()}/occurrences")).GetProperty("occurrences").GetArrayLength(), Is.EqualTo(10));
        var rest = (await User.GetJsonAsync($"{TaskApi.Tasks}/{counted.Id()}/occurrences?count=10")).GetProperty("occurrences");
        Assert.That(rest.EnumerateArray().Select(o => o.GetProperty("dateTime").GetString()),
            Is.EqualTo(new[] { "2427-01-11T08:00:00", "2427-01-18T08:00:00" }), "COUNT=3 includes the task itself");
    }

    [Test]
    public async Task Should_answer_an_empty_preview_for_a_task_that_does_not_repeat()
    {
        var task = await User.CreateTaskAsync(new { title = "Once", due = new { dateTime = "2427-01-04T08:00", timeZone = "UTC" } });

        var preview = await User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}/occurrences");

        Assert.That(preview.GetProperty("occurrences").GetArrayLength(), Is.Zero);
        Assert.That(preview.GetProperty("recurrence").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
    }

    [TestCase("0")]
    [TestCase("101")]
    [TestCase("many")]
    public async Task Should_answer_400_naming_count_for_a_count_out_of_range(string count)
    {
        var task = await User.CreateTaskAsync(new
        {
            title = "Stand-up", due = new { dateTime = "2427-01-04T08:00", timeZone = "UTC" }, recurrence = "daily",
        });

        var response = await User.GetAsync($"{TaskApi.Tasks}/{task.Id()}/occurrences?count={count}");

        await response.ShouldNameFieldAsync("count");
    }

    [Test]
    public async Task Should_not_show_another_users_series()
    {
        var task = await User.CreateTaskAsync(new
        {
            title = "Stand-up", due = new { dateTime = "2427-01-04T08:00", timeZone = "UTC" }, recurrence = "daily",
        });
        using var stranger = await IntegrationSetup.Api.NewUserAsync("UTC");

        var response = await stranger.GetAsync($"{TaskApi.Tasks}/{task.Id()}/occurrences");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
