using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Notifications;

/// <summary>A client as a browser runs it: WebSockets, with the token in the access_token query parameter.</summary>
internal sealed class NotificationListener : IAsyncDisposable
{
    private readonly HubConnection connection;
    private readonly ConcurrentQueue<Received> received = new();

    private NotificationListener(HubConnection connection)
    {
        this.connection = connection;
        connection.On<JsonElement>("notification", n => received.Enqueue(new Received(
            n.GetProperty("id").GetInt64(), n.GetProperty("taskId").GetGuid(), n.GetProperty("kind").GetString()!, n.GetProperty("title").GetString()!,
            n.GetProperty("occurredAt").GetDateTimeOffset(), DateTimeOffset.UtcNow,
            n.TryGetProperty("origin", out var origin) ? origin.GetString() : null)));
    }

    public IReadOnlyList<Received> All => received.ToList();

    /// <summary>
    /// The API serves before its bus is up: events published before its live queue exists would not reach it, so a
    /// fixture that expects pushes waits for that queue and its consumer first.
    /// </summary>
    public static Task WaitUntilTheApiListensAsync() => WaitUntilTheApiListensAsync(IntegrationSetup.Api, IntegrationSetup.Broker);

    public static async Task WaitUntilTheApiListensAsync(TaskFlowApiFactory api, TestVirtualHost broker)
    {
        _ = api.Server;
        var queue = await Eventually.MatchesAsync(
            async () => (await broker.QueueNamesAsync()).FirstOrDefault(q => q.StartsWith("taskflow-live-", StringComparison.Ordinal)),
            q => q is not null, TimeSpan.FromSeconds(30), "the API's live queue");
        await Eventually.MatchesAsync(() => broker.ConsumerCountAsync(queue!), n => n > 0, TimeSpan.FromSeconds(30), "its consumer");
    }

    public static Task<NotificationListener> ConnectAsync(HttpClient user) => ConnectAsync(user.DefaultRequestHeaders.Authorization!.Parameter!);

    /// <summary>A client of an API running as its own process, over a real WebSocket on loopback.</summary>
    public static async Task<NotificationListener> ConnectAsync(Uri api, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(api, "/hubs/notifications"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        var listener = new NotificationListener(connection);
        await connection.StartAsync();
        return listener;
    }

    public static Task<NotificationListener> ConnectAsync(string token) => ConnectAsync(IntegrationSetup.Api, token);

    /// <summary>A client of an API host in this process (the shared one, or a spec's own).</summary>
    public static async Task<NotificationListener> ConnectAsync(TaskFlowApiFactory api, string token)
    {
        var server = api.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/notifications"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                // The browser client puts the token in the query, as browsers cannot set headers on a WebSocket.
                options.WebSocketFactory = (context, cancellationToken) =>
                {
                    var uri = new UriBuilder(context.Uri);
                    uri.Query = $"{uri.Query.TrimStart('?')}&access_token={Uri.EscapeDataString(token)}".TrimStart('&');
                    return new ValueTask<System.Net.WebSockets.WebSocket>(server.CreateWebSocketClient().ConnectAsync(uri.Uri, cancellationToken));
                };
            })
            .Build();
        var listener = new NotificationListener(connection);
        await connection.StartAsync();
        return listener;
    }

    public Task<IReadOnlyList<Received>> WaitForAsync(Func<Received, bool> wanted, TimeSpan? within = null) =>
        Eventually.MatchesAsync(() => Task.FromResult(All), all => all.Any(wanted), within ?? TimeSpan.FromSeconds(10), "the notification");

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();
}

/// <param name="Origin">The browser window whose change it tells of; null for the system's or a client's without one.</param>
internal sealed record Received(long Id, Guid TaskId, string Kind, string Title, DateTimeOffset OccurredAt, DateTimeOffset ArrivedAt, string? Origin);
