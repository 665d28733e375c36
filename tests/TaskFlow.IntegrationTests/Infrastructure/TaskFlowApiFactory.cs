using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>The real API host in memory, on a test database of the real PostgreSQL.</summary>
public sealed class TaskFlowApiFactory(
    string connectionString, string? brokerConnectionString = null, int authPermitLimit = 1_000_000, Action<IServiceCollection>? services = null,
    IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string SigningKey = "integration-tests-signing-key-0123456789abcdef";

    /// <summary>For hosts pointed at a database that is not there on purpose.</summary>
    public bool SkipMigrations { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:MigrateOnStartup", SkipMigrations ? "false" : "true");
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:TaskFlow", connectionString);
        if (brokerConnectionString is not null)
            builder.UseSetting("ConnectionStrings:RabbitMq", brokerConnectionString);
        builder.UseSetting("Auth:SigningKey", SigningKey);
        builder.UseSetting("Database:MaxPoolSize", TaskFlowDatabase.HostPoolSize);
        builder.UseSetting("Auth:RateLimit:PermitLimit", authPermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(key, value);
        if (services is not null)
            builder.ConfigureServices(services);
    }

    /// <summary>Registers a brand-new account and returns a client that carries its bearer token.</summary>
    public async Task<HttpClient> NewUserAsync(string timeZone = "Europe/Paris")
    {
        var client = CreateClient();
        var email = $"user-{Guid.NewGuid():N}@example.com";
        const string password = "correct horse battery staple";
        (await client.PostAsJsonAsync("/api/v1/accounts/register", new { email, password, timeZone })).EnsureSuccessStatusCode();
        var login = await client.PostAsJsonAsync("/api/v1/accounts/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<TokenBody>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed record TokenBody(string AccessToken);
}
