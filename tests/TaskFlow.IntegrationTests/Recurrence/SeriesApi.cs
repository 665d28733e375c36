using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;
using TaskFlow.Testing;

namespace TaskFlow.IntegrationTests.Recurrence;

internal static class SeriesApi
{
    public const string Zone = "Europe/Paris";

    /// <summary>
    /// A zone without daylight saving, for hourly series: an hour later on the wall is then an hour later at any time of the
    /// year, while in Paris the repeated hour of October comes once and the next occurrence two hours on.
    /// </summary>
    public const string Steady = "UTC";

    /// <summary>
    /// <paramref name="at"/> as Paris shows it, with its offset: without one, a wall time in October's repeated hour would
    /// resolve to its first pass, an hour before <paramref name="at"/>.
    /// </summary>
    public static string Paris(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, ParisZone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The wall time Paris shows at <paramref name="at"/>.</summary>
    public static DateTime ParisWall(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, ParisZone).DateTime;

    /// <summary>A wall time as the API writes a due date's dateTime.</summary>
    public static string WallText(DateTime wall) => wall.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static TimeZoneInfo ParisZone => TimeZoneInfo.FindSystemTimeZoneById(Zone);

    /// <summary>A whole second at least <paramref name="ahead"/> from now.</summary>
    public static DateTimeOffset SecondsAhead(double ahead)
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(ahead);
        return new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(1);
    }

    public static string SeriesOf(string taskId) => $"{TaskApi.Tasks}/{taskId}/series";

    public static Task<JsonElement> SeriesAsync(this HttpClient user, string taskId) => user.GetJsonAsync(SeriesOf(taskId));

    public static Task<HttpResponseMessage> PostSeriesAsync(this HttpClient user, string taskId, string action) =>
        user.PostAsync($"{SeriesOf(taskId)}/{action}", null);

    public static Task<HttpResponseMessage> PutSeriesAsync(this HttpClient user, string taskId, object body, int version)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, SeriesOf(taskId)) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return user.SendAsync(request);
    }

    /// <summary>The occurrences of a series as the database holds them, in the order they were created.</summary>
    public static async Task<List<Occurrence>> OccurrencesAsync(TestDatabase database, Guid seriesId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT id, series_slot, due_at, created_at, completed_at, title, status FROM tasks WHERE series_id = @s ORDER BY created_at, id", connection);
        command.Parameters.AddWithValue("s", seriesId);
        var found = new List<Occurrence>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(new Occurrence(reader.GetGuid(0), reader.GetDateTime(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5), reader.GetString(6)));
        }
        return found;
    }

    public static Task<List<Occurrence>> OccurrencesAsync(TestDatabase database, Guid seriesId, int count, TimeSpan? within = null) =>
        Eventually.MatchesAsync(() => OccurrencesAsync(database, seriesId), o => o.Count >= count, within ?? TimeSpan.FromSeconds(20),
            $"{count} occurrences of series {seriesId}");

    public static Guid SeriesId(this JsonElement task) => task.GetProperty("seriesId").GetGuid();
}

internal sealed record Occurrence(Guid Id, DateTime Slot, DateTimeOffset DueAt, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string Title, string Status);
