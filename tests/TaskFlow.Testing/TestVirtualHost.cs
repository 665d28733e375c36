using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace TaskFlow.Testing;

/// <summary>
/// A throw-away RabbitMQ virtual host on the real broker, made and removed through the management API, so test runs
/// sharing the broker never consume each other's messages. It can also take the broker away from this virtual host
/// (permissions revoked, connections closed) and give it back, and look inside it as an operator would.
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
        ConnectionString = new UriBuilder(amqp) { Path = "/" + Uri.EscapeDataString(name) }.Uri.ToString();
    }

    public string Name { get; }
    public string Host { get; }
    public ushort Port { get; }
    public string Username { get; }
    public string Password { get; }

    /// <summary>An amqp:// URI with credentials that points at this virtual host.</summary>
    public string ConnectionString { get; }

    /// <summary>Where the tests find the broker; the test command provisions it on 127.0.0.1.</summary>
    public static Uri AmqpUri => new(Environment.GetEnvironmentVariable("TASKFLOW_TEST_RABBITMQ") ?? "amqp://taskflow:taskflow@127.0.0.1:5672/");

    /// <param name="defaultQueueType">What a declaration that names no type gets: "quorum" as on a cluster's virtual host.</param>
    public static async Task<TestVirtualHost> CreateAsync(string purpose, string? defaultQueueType = null)
    {
        var amqp = AmqpUri;
        var api = Environment.GetEnvironmentVariable("TASKFLOW_TEST_RABBITMQ_MANAGEMENT") ?? $"http://{amqp.Host}:15672/";
        var client = new HttpClient { BaseAddress = new Uri(new Uri(api), "api/") };
        var virtualHost = new TestVirtualHost($"taskflow-test-{purpose}-{Guid.NewGuid():N}", amqp, client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{virtualHost.Username}:{virtualHost.Password}")));
        (await client.PutAsync(virtualHost.VirtualHostPath,
            JsonContent.Create(defaultQueueType is null ? new Dictionary<string, string>() : new() { ["defaultqueuetype"] = defaultQueueType })))
            .EnsureSuccessStatusCode();
        await virtualHost.GrantAsync();
        return virtualHost;
    }

    public async Task GrantAsync() =>
        (await management.PutAsync(PermissionsPath, JsonContent.Create(new { configure = ".*", write = ".*", read = ".*" }))).EnsureSuccessStatusCode();

    /// <summary>The broker refuses this user on this virtual host from now on; open connections live until closed.</summary>
    public async Task RevokeAsync() => (await management.DeleteAsync(PermissionsPath)).EnsureSuccessStatusCode();

    /// <summary>Closes the connections the management API lists now (it lists a new one only after its next statistics tick).</summary>
    public async Task CloseConnectionsAsync()
    {
        using var connections = JsonDocument.Parse(await management.GetStringAsync($"{VirtualHostPath}/connections"));
        foreach (var connection in connections.RootElement.EnumerateArray())
        {
            using var close = await management.DeleteAsync($"connections/{Uri.EscapeDataString(connection.GetProperty("name").GetString()!)}");
        }
    }

    /// <summary>Publishes raw bytes to an exchange, as a misbehaving producer would.</summary>
    public async Task PublishRawAsync(string exchange, string body, string contentType)
    {
        var response = await management.PostAsJsonAsync($"exchanges/{Escaped}/{Uri.EscapeDataString(exchange)}/publish", new
        {
            properties = new { content_type = contentType, message_id = Guid.NewGuid().ToString(), delivery_mode = 2 },
            routing_key = "",
            payload = body,
            payload_encoding = "string",
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// How many messages wait in a queue now, as the broker answers a passive declare: exact (the management API's
    /// counts lag by a statistics interval) and touching no message. 0 when the queue does not exist.
    /// </summary>
    public async Task<uint> WaitingAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>
    /// Reads (and puts back) up to <paramref name="count"/> messages waiting in a queue; empty when it does not exist yet.
    /// Putting back marks each message redelivered, which consumers may act on (the notification consumer pushes a
    /// redelivered event again), so this is for queues no one consumes, such as error queues; count the others with
    /// <see cref="WaitingAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> PeekAsync(string queue, int count = 10)
    {
        var response = await management.PostAsJsonAsync($"queues/{Escaped}/{Uri.EscapeDataString(queue)}/get",
            new { count, ackmode = "ack_requeue_true", encoding = "auto" });
        if (response.StatusCode == HttpStatusCode.NotFound)
            return [];
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }

    /// <summary>How many consumers a queue has now; -1 when the queue does not exist or the broker has not said yet.</summary>
    public async Task<int> ConsumerCountAsync(string queue) =>
        await QueueAsync(queue) is { } info && info.TryGetProperty("consumers", out var consumers) ? consumers.GetInt32() : -1;

    /// <summary>A queue as the console shows it (type, durable, auto_delete, arguments, ...); null when it does not exist.</summary>
    public async Task<JsonElement?> QueueAsync(string queue)
    {
        var response = await management.GetAsync($"queues/{Escaped}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// This virtual host as the console shows it: its queues' message counts and its message_stats (publish, deliver_get,
    /// ack, ...), as of the broker's last statistics tick, not now.
    /// </summary>
    public Task<JsonElement> StatisticsAsync() => management.GetFromJsonAsync<JsonElement>(VirtualHostPath);

    /// <summary>The operating system's process id of the broker node the management API answers from.</summary>
    public async Task<int> NodeProcessIdAsync()
    {
        var node = (await management.GetFromJsonAsync<JsonElement>("overview")).GetProperty("node").GetString()!;
        var info = await management.GetFromJsonAsync<JsonElement>($"nodes/{Uri.EscapeDataString(node)}?columns=os_pid");
        return int.Parse(info.GetProperty("os_pid").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sets a policy on this virtual host: its body as in a definitions file (pattern, apply-to, priority, definition).</summary>
    public async Task PutPolicyAsync(string name, JsonElement policy) =>
        (await management.PutAsJsonAsync($"policies/{Escaped}/{Uri.EscapeDataString(name)}", policy)).EnsureSuccessStatusCode();

    public Task<IReadOnlyList<string>> ExchangeNamesAsync() => NamesAsync($"exchanges/{Escaped}");

    public Task<IReadOnlyList<string>> QueueNamesAsync() => NamesAsync($"queues/{Escaped}");

    public async ValueTask DisposeAsync()
    {
        using (await management.DeleteAsync(VirtualHostPath))
        {
        }
        management.Dispose();
    }

    private async Task<IReadOnlyList<string>> NamesAsync(string path)
    {
        var items = await management.GetFromJsonAsync<JsonElement>(path);
        return items.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
    }

    private string Escaped => Uri.EscapeDataString(Name);
    private string VirtualHostPath => $"vhosts/{Escaped}";
    private string PermissionsPath => $"permissions/{Escaped}/{Uri.EscapeDataString(Username)}";
}
