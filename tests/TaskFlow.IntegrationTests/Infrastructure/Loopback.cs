using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>Ports on 127.0.0.1 for the servers the tests start themselves.</summary>
public static class Loopback
{
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
