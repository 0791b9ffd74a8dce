using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// A WebSocket client over a bare TCP socket with a tiny receive buffer that, after the upgrade, never reads
/// again: a client whose application stopped consuming. Whatever the server sends piles up in the kernel
/// and then in the server's own queue. It can still send (masked) text frames.
/// </summary>
public sealed class StalledWebSocket : IDisposable
{
    private readonly Socket _socket;

    private StalledWebSocket(Socket socket) => _socket = socket;

    public static async Task<StalledWebSocket> ConnectAsync(Uri baseUri, string pathAndQuery)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            // Set before connecting, so the advertised window stays small.
            ReceiveBufferSize = 4096,
            NoDelay = true,
        };
        try
        {
            await socket.ConnectAsync(baseUri.Host, baseUri.Port).WithTimeout();
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request =
                $"GET {pathAndQuery} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request)).WithTimeout();

            // Read the response head one byte at a time, so nothing after it is consumed.
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(one).WithTimeout();
                Assert.True(read == 1, $"the server closed during the upgrade: {head}");
                head.Append((char)one[0]);
            }

            Assert.StartsWith("HTTP/1.1 101", head.ToString());
            return new StalledWebSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one masked text frame, as a client must.</summary>
    public async Task SendTextAsync(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        Assert.True(payload.Length < 126, "short frames only");
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x81; // FIN + text
        frame[1] = (byte)(0x80 | payload.Length);
        var mask = RandomNumberGenerator.GetBytes(4);
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        await _socket.SendAsync(frame).WithTimeout();
    }

    public void Dispose() => _socket.Dispose();
}
