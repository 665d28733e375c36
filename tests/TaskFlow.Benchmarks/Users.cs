using System.Net.Http.Json;
using System.Text.Json;

namespace TaskFlow.Benchmarks;

/// <summary>An account of the benchmark's, signed in.</summary>
internal sealed record User(Guid Id, string Token)
{
    public static async Task<User> SignUpAsync(HttpClient http)
    {
        var credentials = new { email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark password" };
        using var registered = (await http.PostAsJsonAsync("api/v1/accounts/register", credentials)).EnsureSuccessStatusCode();
        var id = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var login = (await http.PostAsJsonAsync("api/v1/accounts/login", credentials)).EnsureSuccessStatusCode();
        return new User(id, (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!);
    }

    public static async Task<User[]> SignUpAsync(HttpClient http, int count)
    {
        var users = new User[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => users[i] = await SignUpAsync(http));
        return users;
    }

    /// <summary>Sends <paramref name="body"/> as this user; the caller reads and disposes the answer.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", Token);
        return http.SendAsync(request, cancellationToken);
    }

    /// <summary>Creates a task and answers its id.</summary>
    public async Task<Guid> CreateTaskAsync(HttpClient http, object task)
    {
        using var response = (await SendAsync(http, HttpMethod.Post, "api/v1/tasks", task)).EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>One client for a whole run: enough pooled connections for every request in flight at once.</summary>
    public static HttpClient Client(Uri api) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 })
    {
        BaseAddress = api,
        Timeout = TimeSpan.FromMinutes(2),
    };
}
