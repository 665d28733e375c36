using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>Signing up against an API running as its own process, as a browser would.</summary>
internal static class SignUp
{
    public const string Password = "correct horse battery staple";

    /// <summary>Registers a new account, signs in and keeps the token on <paramref name="api"/>; returns the token for a hub client.</summary>
    public static async Task<string> NewAccountAsync(this HttpClient api, string timeZone = "Europe/Paris")
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        (await api.PostAsJsonAsync("/api/v1/accounts/register", new { email, password = Password, timeZone })).EnsureSuccessStatusCode();
        var login = await api.PostAsJsonAsync("/api/v1/accounts/login", new { email, password = Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return token;
    }
}
