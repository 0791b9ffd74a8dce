using System.Net;
using System.Net.Sockets;

namespace OpenChat.Testing;

/// <summary>A loopback port that was free a moment ago, for a server that must come back on the same address.</summary>
internal static class FreePort
{
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
