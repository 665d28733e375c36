using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace TaskFlow.Benchmarks;

/// <summary>A notification as one of the user's browsers received it, and when.</summary>
internal sealed record Arrival(string Kind, Guid TaskId, string Title, long Timestamp, DateTimeOffset At);

/// <summary>A user's connection to /hubs/notifications, opened the way the web page opens it.</summary>
internal static class Listener
{
    public static async Task<HubConnection> ConnectAsync(Uri api, User user, Action<Arrival> arrived, CancellationToken cancellationToken = default)
    {
        var connection = Build(api, user.Token);
        connection.On<JsonElement>("notification", n => arrived(new Arrival(
            n.GetProperty("kind").GetString()!, n.GetProperty("taskId").GetGuid(), n.GetProperty("title").GetString()!,
            System.Diagnostics.Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow)));
        try
        {
            await connection.StartAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // As a browser connects: the token on negotiate in the Authorization header, on the WebSocket (which cannot carry
    // headers) in the access_token query parameter.
    private static HubConnection Build(Uri api, string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(api, "hubs/notifications"), options =>
        {
            options.Transports = HttpTransportType.WebSockets;
            options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            options.WebSocketFactory = async (context, cancellationToken) =>
            {
                var uri = new UriBuilder(context.Uri);
                uri.Query = $"{uri.Query.TrimStart('?')}&access_token={Uri.EscapeDataString(token)}".TrimStart('&');
                var socket = new ClientWebSocket();
                try
                {
                    await socket.ConnectAsync(uri.Uri, cancellationToken);
                    return socket;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        })
        .Build();
}
