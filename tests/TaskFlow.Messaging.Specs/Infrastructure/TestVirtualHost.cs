using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>
/// A throw-away RabbitMQ virtual host made through the management API, because other test runs share the broker.
/// It can also take the broker away from this virtual host (permissions revoked, connections closed) and give it back.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private readonly HttpClient management;

    private TestVirtualHost(string name, Uri amqp, HttpClient management)
    {
        Name = name;
        this.management = management;
        var credentials = amqp.UserInfo.Split(':', 2);
        Host = amqp.Host;
        Port = (ushort)(amqp.IsDefaultPort || amqp.Port < 0 ? 5672 : amqp.Port);
        Username = Uri.UnescapeDataString(credentials[0]);
        Password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "";
    }

    public string Name { get; }
    public string Host { get; }
    public ushort Port { get; }
    public string Username { get; }
    public string Password { get; }

    public static Uri AmqpUri => new(Environment.GetEnvironmentVariable("TASKFLOW_TEST_RABBITMQ") ?? "amqp://taskflow:taskflow@127.0.0.1:5672/");

    public static async Task<TestVirtualHost> CreateAsync(string purpose)
    {
        var amqp = AmqpUri;
        var client = new HttpClient { BaseAddress = new Uri($"http://{amqp.Host}:15672/api/") };
        var virtualHost = new TestVirtualHost($"taskflow-spec-{purpose}-{Guid.NewGuid():N}", amqp, client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{virtualHost.Username}:{virtualHost.Password}")));
        (await client.PutAsync(virtualHost.VirtualHostPath, JsonContent.Create(new { }))).EnsureSuccessStatusCode();
        await virtualHost.GrantAsync();
        return virtualHost;
    }

    public async Task GrantAsync() =>
        (await management.PutAsync(PermissionsPath, JsonContent.Create(new { configure = ".*", write = ".*", read = ".*" }))).EnsureSuccessStatusCode();

    /// <summary>
    /// The broker refuses this user on this virtual host and drops its connections: for the bus, the broker is down.
    /// The management API lists a new connection only after its next statistics tick, so this keeps closing what it
    /// lists until the client has noticed.
    /// </summary>
    public async Task TakeAwayAsync(Func<bool> noticed)
    {
        (await management.DeleteAsync(PermissionsPath)).EnsureSuccessStatusCode();
        await Eventually.HoldsAsync(async () =>
        {
            using var connections = JsonDocument.Parse(await management.GetStringAsync($"vhosts/{Uri.EscapeDataString(Name)}/connections"));
            foreach (var connection in connections.RootElement.EnumerateArray())
            {
                var name = connection.GetProperty("name").GetString()!;
                using var close = await management.DeleteAsync($"connections/{Uri.EscapeDataString(name)}");
            }

            return noticed();
        }, "the client noticed the broker is gone");
    }

    public async ValueTask DisposeAsync()
    {
        using (await management.DeleteAsync(VirtualHostPath))
        {
        }

        management.Dispose();
    }

    private string VirtualHostPath => $"vhosts/{Uri.EscapeDataString(Name)}";
    private string PermissionsPath => $"permissions/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(Username)}";
}
