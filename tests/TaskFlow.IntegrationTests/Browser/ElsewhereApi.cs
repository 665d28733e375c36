using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>
/// The signed-in person's tasks changed through the API from elsewhere (another device, an assistant): the page's
/// session, no <c>X-TaskFlow-Client</c>. Dates are the person's own, in their profile's zone.
/// </summary>
internal sealed class ElsewhereApi : IDisposable
{
    private readonly HttpClient http;

    private ElsewhereApi(HttpClient http, TimeZoneInfo zone)
    {
        this.http = http;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Today's date where the person lives.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime);

    public static async Task<ElsewhereApi> OpenAsync(IPage page)
    {
        var http = await TaskPage.ApiAsync(page);
        var profile = await http.GetFromJsonAsync<JsonElement>("/api/v1/accounts/me");
        return new ElsewhereApi(http, TimeZoneInfo.FindSystemTimeZoneById(profile.GetProperty("timeZone").GetString()!));
    }

    public static object At(DateOnly day, int hour, int minute = 0) =>
        new { dateTime = day.ToDateTime(new TimeOnly(hour, minute)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) };

    public static object AllDay(DateOnly day) => new { date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };

    /// <summary>Creates a task (its due date in the person's zone when the body names none) and answers it.</summary>
    public async Task<JsonElement> CreateAsync(object task)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/tasks", task);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> UpdateAsync(string id, object task)
    {
        using var response = await http.PutAsJsonAsync($"/api/v1/tasks/{id}", task);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> CompleteAsync(string id)
    {
        using var response = await http.PostAsync(new Uri($"/api/v1/tasks/{id}/complete", UriKind.Relative), null);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<IReadOnlyList<JsonElement>> HistoryAsync(string id)
    {
        var page = await http.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{id}/history");
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    /// <summary>An instant as the page writes it for an en-US reader in the person's zone ("Dec 8, 2026, 5:41 AM").</summary>
    public string Shown(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Zone).ToString("MMM d, yyyy, h:mm tt", CultureInfo.GetCultureInfo("en-US"));

    public void Dispose() => http.Dispose();
}
