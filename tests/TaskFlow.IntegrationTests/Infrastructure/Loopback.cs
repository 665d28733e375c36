using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>Ports on 127.0.0.1 for the servers the tests start themselves.</summary>
public static class Loopback
{
    /// <summary>
    /// A port free at this moment, for a server that cannot bind port 0 itself (RabbitMQ): another process may take it
    /// before the server binds it, so its user must notice and try again. Hosts and in-process listeners bind port 0.
    /// </summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

public static class Crash
{
    /// <summary>SIGKILL to the process and its children, as a crash or an OOM kill would: no graceful shutdown.</summary>
    public static async Task KillAsync(Process process)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
