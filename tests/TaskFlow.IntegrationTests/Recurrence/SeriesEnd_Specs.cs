using System.Globalization;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Reminders;
using TaskFlow.IntegrationTests.Tasks;
using static TaskFlow.IntegrationTests.Recurrence.SeriesApi;

namespace TaskFlow.IntegrationTests.Recurrence;

/// <summary>A series ends where its UNTIL says, or where the calendar does: the worker creates nothing after, and neither it nor the API fails there.</summary>
public sealed class When_a_series_reaches_its_end : SignedInSpec
{
    private static TaskFlow.Testing.TestDatabase Database => IntegrationSetup.Database;

    [Test]
    public async Task Should_keep_an_UNTIL_written_as_an_ISO_date_and_preview_the_series_ending_that_day()
    {
        var task = await User.CreateTaskAsync(new
        {
            title = "Daily stand-up",
            due = new { dateTime = "2100-03-01T08:00:00Z", timeZone = Zone },
            recurrence = "FREQ=DAILY;UNTIL=2100-03-05",
        });

        var preview = await User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}/occurrences?count=10");

        Assert.Multiple(() =>
        {
            Assert.That(task.GetProperty("recurrence").GetString(), Is.EqualTo("FREQ=DAILY;UNTIL=21000305"));
            Assert.That(task.GetProperty("recurrenceSummary").GetString(), Is.EqualTo("Daily until 5 Mar 2100"));
            Assert.That(preview.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("dateTime").GetString()), Is.EqualTo(new[]
            {
                "2100-03-02T09:00:00", "2100-03-03T09:00:00", "2100-03-04T09:00:00", "2100-03-05T09:00:00",
            }));
        });
    }

    [Test]
    public async Task Should_create_the_occurrences_up_to_its_UNTIL_and_then_end()
    {
        // Hourly until two hours after the first, written in UTC the ISO way; each appears a day ahead, so at once.
        var due = SecondsAhead(60);
        var until = due.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var task = await User.CreateTaskAsync(new
        {
            title = "Stretch",
            due = new { dateTime = due.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), timeZone = Steady },
            recurrence = $"FREQ=HOURLY;UNTIL={until}",
        });
        Assert.That(task.GetProperty("recurrence").GetString(), Does.EndWith($"UNTIL={until.Replace("-", "").Replace(":", "")}"));

        var series = await Eventually.MatchesAsync(() => User.SeriesAsync(task.Id()), s => s.GetProperty("status").GetString() != "active",
            what: "the series to end");
        var occurrences = await OccurrencesAsync(Database, task.SeriesId());

        Assert.Multiple(() =>
        {
            Assert.That(series.GetProperty("status").GetString(), Is.EqualTo("ended"));
            Assert.That(series.GetProperty("nextDue").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(occurrences.Select(o => o.DueAt), Is.EqualTo(new[] { due, due.AddHours(1), due.AddHours(2) }), string.Join(", ", occurrences));
        });
    }

    // The slot after the last one shown would be an all-day 31 December 9999, whose end is in the year 10000, or a wall
    // time twelve hours behind UTC on that day, whose instant is.
    [TestCase(null, "9999-12-29", "UTC", "9999-12-30")]
    [TestCase("9999-12-29T12:00", null, "Etc/GMT+12", "9999-12-30T12:00:00")]
    public async Task Should_end_where_the_calendar_ends_without_failing_the_api_or_the_worker(string? dateTime, string? date, string zone, string last)
    {
        var task = await User.CreateTaskAsync(new
        {
            title = "Last call",
            due = new { dateTime, date, timeZone = zone },
            reminders = new[] { "P1D" },
            recurrence = "daily",
        });

        var series = await User.SeriesAsync(task.Id());
        var preview = await User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}/occurrences?count=10");

        Assert.Multiple(() =>
        {
            Assert.That(series.GetProperty("nextDue").GetProperty("at").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(preview.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty(date is null ? "dateTime" : "date").GetString()),
                Is.EqualTo(new[] { last }));
        });
        // The worker plans the last slot and the reminder like any other.
        var slot = await Eventually.MatchesAsync(() => NextSlotAsync(task.SeriesId()), slot => slot is not null, what: "the worker to schedule the last slot");
        Assert.That(slot, Is.EqualTo(DateTime.Parse(last, CultureInfo.InvariantCulture)));
        await User.ReminderInStateAsync(task.Id(), "scheduled");
    }

    private static async Task<DateTime?> NextSlotAsync(Guid seriesId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT next_slot FROM task_series WHERE id = @s", connection);
        command.Parameters.AddWithValue("s", seriesId);
        return await command.ExecuteScalarAsync() is DateTime slot ? slot : null;
    }
}
