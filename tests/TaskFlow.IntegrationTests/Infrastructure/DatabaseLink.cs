using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP relay on loopback between one host and PostgreSQL, which a spec can cut: open connections break and new ones
/// are refused, as when the database restarts or fails over, while the server itself goes on serving every other spec.
/// </summary>
public sealed class DatabaseLink : IAsyncDisposable
{
    private readonly DnsEndPoint server;
    private readonly List<TcpClient> open = [];
    private readonly Lock gate = new();
    private TcpListener? listener;
    private CancellationTokenSource? cut;

    public DatabaseLink(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        server = new DnsEndPoint(builder.Host!, builder.Port);
        Restore();
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;
    }

    /// <summary>Bound as port 0 the first time, so the link holds its port from the moment it has one.</summary>
    public int Port { get; private set; }

    /// <summary>The database's connection string, through this link.</summary>
    public string ConnectionString { get; }

    /// <summary>Breaks every connection through the link and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        lock (gate)
        {
            cut?.Cancel();
            listener?.Stop();
            listener = null;
            foreach (var client in open)
                client.Dispose();
            open.Clear();
        }
    }

    /// <summary>Accepts connections again, on the same port.</summary>
    public void Restore()
    {
        lock (gate)
        {
            cut = new CancellationTokenSource();
            listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _ = AcceptAsync(listener, cut.Token);
        }
    }

    private async Task AcceptAsync(TcpListener accepting, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await accepting.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(server.Host, server.Port, stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            lock (gate)
            {
                open.Add(client);
                open.Add(upstream);
            }
            _ = RelayAsync(client, upstream);
        }
    }

    private static async Task RelayAsync(TcpClient client, TcpClient upstream)
    {
        try
        {
            await Task.WhenAny(client.GetStream().CopyToAsync(upstream.GetStream()), upstream.GetStream().CopyToAsync(client.GetStream()));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // Cut, or one side closed: both go.
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
