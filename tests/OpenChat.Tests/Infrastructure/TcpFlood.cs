using System.Net;
using System.Net.Sockets;

namespace OpenChat.Tests.Infrastructure;

/// <summary>Raw TCP connections to a loopback port that send nothing and are held until disposed.</summary>
public sealed class TcpFlood : IDisposable
{
    private readonly List<Socket> _sockets = new();

    private TcpFlood()
    {
    }

    public int Count => _sockets.Count;

    /// <summary>Opens <paramref name="count"/> connections, <paramref name="parallel"/> at a time.</summary>
    public static async Task<TcpFlood> OpenAsync(int port, int count, int parallel = 64)
    {
        var flood = new TcpFlood();
        try
        {
            for (var opened = 0; opened < count; opened += parallel)
            {
                var batch = Enumerable.Range(0, Math.Min(parallel, count - opened)).Select(_ => ConnectAsync(port)).ToArray();
                flood._sockets.AddRange(await Task.WhenAll(batch).WithTimeout());
            }

            return flood;
        }
        catch
        {
            flood.Dispose();
            throw;
        }
    }

    /// <summary>Whether the server closes a new connection at once (it reads end of stream or a reset) instead of serving it.</summary>
    public static async Task<bool> IsRefusedAsync(int port)
    {
        using var socket = await ConnectAsync(port);
        var request = "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray();
        try
        {
            await socket.SendAsync(request);
            var buffer = new byte[256];
            return await socket.ReceiveAsync(buffer, SocketFlags.None).WithTimeout() == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WithTimeout();
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
