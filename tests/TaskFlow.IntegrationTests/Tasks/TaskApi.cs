using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskFlow.IntegrationTests.Tasks;

/// <summary>The calls the specs make, so each spec reads as what the user does.</summary>
internal static class TaskApi
{
    public const string Tasks = "/api/v1/tasks";

    public static async Task<JsonElement> CreateTaskAsync(this HttpClient client, object task)
    {
        var response = await client.PostAsJsonAsync(Tasks, task);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// A deleted task's history exists only once the worker has audited one of its events, a few milliseconds after
    /// each commit: until then its owner is answered 404 like anyone, read here as nothing yet.
    /// </summary>
    public static async Task<JsonElement?> GetHistoryAsync(this HttpClient client, string taskId)
    {
        var response = await client.GetAsync($"{Tasks}/{taskId}/history");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PutTaskAsync(this HttpClient client, string id, object task, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"{Tasks}/{id}") { Content = JsonContent.Create(task) };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    public static string Id(this JsonElement task) => task.GetProperty("id").GetString()!;

    public static int Version(this JsonElement task) => task.GetProperty("version").GetInt32();

    public static List<string> Titles(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("title").GetString()!).ToList();
}
