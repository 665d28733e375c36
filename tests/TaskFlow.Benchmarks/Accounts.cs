using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskFlow.Benchmarks;

internal static class Accounts
{
    /// <summary>Registers a fresh account and signs it in: its id and bearer token.</summary>
    public static async Task<(Guid Id, string Token)> NewAsync(HttpClient client)
    {
        var credentials = new { email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark password" };
        using var registered = await PostLimitedAsync(client, "api/v1/accounts/register", credentials);
        var id = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var login = await PostLimitedAsync(client, "api/v1/accounts/login", credentials);
        return (id, (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!);
    }

    // Register and login share a per-address limit (Auth:RateLimit, 10 calls a minute): a run that needs more
    // accounts than one window allows, or follows another run closely, waits for the next window instead of failing.
    private static async Task<HttpResponseMessage> PostLimitedAsync(HttpClient client, string path, object body)
    {
        while (true)
        {
            var response = await client.PostAsJsonAsync(path, body);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
                return response.EnsureSuccessStatusCode();
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5);
            response.Dispose();
            Console.WriteLine($"sign-ups are rate-limited on this address: waiting {wait.TotalSeconds:F0} s");
            await Task.Delay(wait);
        }
    }
}
