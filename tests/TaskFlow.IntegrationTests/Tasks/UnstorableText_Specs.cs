using System.Net.Http.Json;
using System.Text;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Recurrence;

namespace TaskFlow.IntegrationTests.Tasks;

/// <summary>
/// PostgreSQL cannot store U+0000 in text, nor can UTF-8 carry half a surrogate pair: such a string anywhere in a
/// request is refused with a 400 naming where it was, before anything is stored.
/// </summary>
public class When_a_request_carries_text_PostgreSQL_cannot_store : SignedInSpec
{
    private const string Nul = "\u0000";

    [TestCase("{\"title\": \"half \\ud800 a pair\"}", "title")]
    [TestCase("{\"title\": \"ok\", \"description\": \"\\udc00 alone\"}", "description")]
    [TestCase("{\"title\": \"ok\", \"tags\": [\"\\ud83d\"]}", "tags[0]")]
    public async Task Should_refuse_a_lone_surrogate_naming_the_field(string json, string field)
    {
        var created = await User.PostAsync(TaskApi.Tasks, new StringContent(json, Encoding.UTF8, "application/json"));

        await created.ShouldNameFieldAsync(field);
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Should_refuse_half_a_surrogate_pair_sent_as_raw_UTF_8_bytes()
    {
        // ED A0 80 is how CESU-8 writes U+D800; UTF-8 has no such sequence.
        var json = Encoding.UTF8.GetBytes("{\"title\": \"half X\"}").SelectMany(b => b == (byte)'X' ? new byte[] { 0xED, 0xA0, 0x80 } : [b]).ToArray();
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new("application/json");

        var created = await User.PostAsync(TaskApi.Tasks, content);

        await created.ShouldNameFieldAsync("title");
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [TestCase("?q=%00", "q")]
    [TestCase("?q=plan%00", "q")]
    [TestCase("?tag=%00", "tag")]
    [TestCase("?status=open&sort=%00due", "sort")]
    [TestCase("?cursor=%00", "cursor")]
    public async Task Should_refuse_NUL_in_a_listing_query_naming_the_parameter(string query, string parameter)
    {
        await User.CreateTaskAsync(new { title = "plan" });

        var listed = await User.GetAsync(TaskApi.Tasks + query);

        await listed.ShouldNameFieldAsync(parameter);
    }

    [TestCase("/api/v1/audit?type=%00", "type")]
    [TestCase("/api/v1/notifications?after=%00", "after")]
    public async Task Should_refuse_NUL_in_any_query_naming_the_parameter(string url, string parameter) =>
        await (await User.GetAsync(url)).ShouldNameFieldAsync(parameter);

    [Test]
    public async Task Should_refuse_NUL_in_a_series_change()
    {
        var task = await User.CreateTaskAsync(new { title = "Standup", due = new { dateTime = "2427-01-04T09:00" }, recurrence = "daily" });

        var edited = await User.PutSeriesAsync(task.Id(), new { title = $"Stand{Nul}up", due = new { dateTime = "2427-01-04T09:00" }, recurrence = "daily" }, 1);

        await edited.ShouldNameFieldAsync("title");
        Assert.That((await User.SeriesAsync(task.Id())).GetProperty("version").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_refuse_NUL_in_the_profile_and_the_preferences()
    {
        var profile = await User.PutAsJsonAsync("/api/v1/accounts/me", new { timeZone = $"UTC{Nul}" });
        var preferences = await User.PutAsJsonAsync("/api/v1/notifications/preferences", new { live = new[] { $"task.created{Nul}" } });
        var quiet = await User.PutAsJsonAsync("/api/v1/notifications/preferences", new { live = Array.Empty<string>(), quietHours = new { start = $"22:00{Nul}", end = "07:00" } });

        await profile.ShouldNameFieldAsync("timeZone");
        await preferences.ShouldNameFieldAsync("live[0]");
        await quiet.ShouldNameFieldAsync("quietHours.start");
        Assert.That((await User.GetJsonAsync("/api/v1/accounts/me")).GetProperty("timeZone").GetString(), Is.EqualTo(TimeZone));
    }
}
