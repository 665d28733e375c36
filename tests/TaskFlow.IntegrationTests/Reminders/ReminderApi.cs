using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Reminders;

internal static class ReminderApi
{
    /// <summary>A whole second at least <paramref name="ahead"/> from now: the scheduler's buckets are whole seconds.</summary>
    public static DateTimeOffset SecondsAhead(double ahead)
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(ahead);
        return new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(1);
    }

    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A task whose one reminder, a minute before its due time, fires at <paramref name="fireAt"/>.</summary>
    public static object WithReminderAt(string title, DateTimeOffset fireAt) =>
        new { title, due = new { dateTime = Instant(fireAt.AddMinutes(1)), timeZone = "Europe/Paris" }, reminders = new[] { "PT1M" } };

    public static async Task<JsonElement> ReminderAsync(this HttpClient user, string taskId) =>
        (await user.GetJsonAsync($"{TaskApi.Tasks}/{taskId}")).GetProperty("reminderSchedule")[0];

    public static Task<JsonElement> ReminderInStateAsync(this HttpClient user, string taskId, string state) =>
        Eventually.MatchesAsync(() => user.ReminderAsync(taskId), r => r.GetProperty("state").GetString() == state,
            TimeSpan.FromSeconds(20), $"the reminder of {taskId} to be {state}");

    public static Task<HttpResponseMessage> SnoozeAsync(this HttpClient user, string taskId, string reminderId, object body) =>
        user.PostAsJsonAsync($"{TaskApi.Tasks}/{taskId}/reminders/{reminderId}/snooze", body);
}
