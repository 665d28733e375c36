using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>
/// A RabbitMQ virtual host of its own on the real broker, so test runs sharing the broker never
/// consume each other's messages. Made and removed through the management API.
/// </summary>
public sealed class TestBroker : IAsyncDisposable
{
    private readonly HttpClient management;

    private TestBroker(string virtualHost, HttpClient management)
    {
        VirtualHost = virtualHost;
        this.management = management;
    }

    public string VirtualHost { get; }

    public string ConnectionString => new UriBuilder(ServerUri) { Path = "/" + Uri.EscapeDataString(VirtualHost) }.Uri.ToString();

    private static Uri ServerUri => new(Environment.GetEnvironmentVariable("TASKFLOW_TEST_RABBITMQ") ?? "amqp://taskflow:taskflow@127.0.0.1:5672/");

    public static async Task<TestBroker> CreateAsync(string purpose)
    {
        var server = ServerUri;
        var credentials = Uri.UnescapeDataString(server.UserInfo);
        var management = new HttpClient
        {
            BaseAddress = new Uri(Environment.GetEnvironmentVariable("TASKFLOW_TEST_RABBITMQ_MANAGEMENT") ?? $"http://{server.Host}:15672/"),
        };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

        var broker = new TestBroker($"taskflow-test-{purpose}-{Guid.NewGuid():N}", management);
        var user = credentials.Split(':')[0];
        (await management.PutAsync($"api/vhosts/{broker.Escaped}", null)).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"api/permissions/{broker.Escaped}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return broker;
    }

    private string Escaped => Uri.EscapeDataString(VirtualHost);

    /// <summary>Publishes raw bytes to an exchange, as a misbehaving producer would.</summary>
    public async Task PublishRawAsync(string exchange, string body, string contentType)
    {
        var response = await management.PostAsJsonAsync($"api/exchanges/{Escaped}/{Uri.EscapeDataString(exchange)}/publish", new
        {
            properties = new { content_type = contentType, message_id = Guid.NewGuid().ToString(), delivery_mode = 2 },
            routing_key = "",
            payload = body,
            payload_encoding = "string",
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Reads (and puts back) up to <paramref name="count"/> messages waiting in a queue; empty when it does not exist yet.</summary>
    public async Task<IReadOnlyList<JsonElement>> PeekAsync(string queue, int count = 10)
    {
        var response = await management.PostAsJsonAsync($"api/queues/{Escaped}/{Uri.EscapeDataString(queue)}/get",
            new { count, ackmode = "ack_requeue_true", encoding = "auto" });
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return [];
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }

    /// <summary>How many consumers a queue has now; -1 when the queue does not exist or the broker has not said yet.</summary>
    public async Task<int> ConsumerCountAsync(string queue)
    {
        var response = await management.GetAsync($"api/queues/{Escaped}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return -1;
        var info = await response.Content.ReadFromJsonAsync<JsonElement>();
        return info.TryGetProperty("consumers", out var consumers) ? consumers.GetInt32() : -1;
    }

    public async Task<IReadOnlyList<string>> ExchangeNamesAsync()
    {
        var exchanges = await management.GetFromJsonAsync<JsonElement>($"api/exchanges/{Escaped}");
        return exchanges.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
    }

    public async Task<IReadOnlyList<string>> QueueNamesAsync()
    {
        var queues = await management.GetFromJsonAsync<JsonElement>($"api/queues/{Escaped}");
        return queues.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await management.DeleteAsync($"api/vhosts/{Escaped}");
        management.Dispose();
    }
}
