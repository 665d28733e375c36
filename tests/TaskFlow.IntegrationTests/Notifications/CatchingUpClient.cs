using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace TaskFlow.IntegrationTests.Notifications;

/// <summary>
/// A client that behaves as the web page does: it reconnects by itself and, after each reconnect, reads from the inbox
/// what was stored after the newest notification the inbox has given it (a pushed id does not count: pushes overtake
/// each other). Pushes and catch-ups are kept apart, so a spec can tell a doubled push from one that was caught up.
/// </summary>
internal sealed class CatchingUpClient : IAsyncDisposable
{
    private readonly HubConnection connection;
    private readonly HttpClient inbox;
    private readonly ConcurrentQueue<long> pushed = new();
    private readonly ConcurrentQueue<long> caughtUp = new();
    private readonly ConcurrentDictionary<long, byte> held = new();
    private readonly SemaphoreSlim oneCatchUp = new(1, 1);
    private long readUpTo;
    private int reconnects;

    private CatchingUpClient(Uri api, string token)
    {
        inbox = new HttpClient { BaseAddress = api };
        inbox.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        connection = new HubConnectionBuilder()
            .WithUrl(new Uri(api, "/hubs/notifications"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .WithAutomaticReconnect(new EveryQuarterSecond())
            .Build();
        connection.On<JsonElement>("notification", n =>
        {
            var id = n.GetProperty("id").GetInt64();
            pushed.Enqueue(id);
            held.TryAdd(id, 0);
        });
        connection.Reconnected += async _ =>
        {
            Interlocked.Increment(ref reconnects);
            await CatchUpAsync();
        };
    }

    public IReadOnlyCollection<long> Pushed => pushed.ToList();

    public IReadOnlyCollection<long> CaughtUp => caughtUp.ToList();

    /// <summary>Every notification the client holds, each once, as the page shows them.</summary>
    public IReadOnlySet<long> Held => held.Keys.ToHashSet();

    public int Reconnects => reconnects;

    public HubConnectionState State => connection.State;

    public static async Task<CatchingUpClient> ConnectAsync(Uri api, string token)
    {
        var client = new CatchingUpClient(api, token);
        await client.connection.StartAsync();
        return client;
    }

    /// <summary>What the page does after every connect: read what was stored after the newest id the inbox answered with.</summary>
    public async Task CatchUpAsync()
    {
        await oneCatchUp.WaitAsync();
        try
        {
            while (true)
            {
                var page = await inbox.GetFromJsonAsync<JsonElement>(
                    string.Create(CultureInfo.InvariantCulture, $"/api/v1/notifications?after={readUpTo}&limit=100"));
                foreach (var id in page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetInt64()))
                {
                    caughtUp.Enqueue(id);
                    held.TryAdd(id, 0);
                    readUpTo = Math.Max(readUpTo, id);
                }
                if (page.GetProperty("nextCursor").GetString() is null)
                    return;
            }
        }
        finally
        {
            oneCatchUp.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await connection.DisposeAsync();
        inbox.Dispose();
        oneCatchUp.Dispose();
    }

    /// <summary>The page retries for as long as it is open; a spec's client for two minutes.</summary>
    private sealed class EveryQuarterSecond : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            retryContext.ElapsedTime < TimeSpan.FromMinutes(2) ? TimeSpan.FromMilliseconds(250) : null;
    }
}
