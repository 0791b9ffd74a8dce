using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace OpenChat.SocketIO.Tests.Infrastructure;

/// <summary>One WebSocket frame as it crossed the wire (RFC 6455 section 5.2).</summary>
/// <param name="Compressed">RSV1: the message is compressed (permessage-deflate), set on its first frame.</param>
public sealed record WireFrame(bool Fin, int Opcode, byte[] Payload, bool Compressed = false)
{
    public const int Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA;
}

/// <summary>
/// A WebSocket client written from RFC 6455 over a bare TCP socket, for checks that need the frames
/// themselves (fragmentation, opcodes) rather than the messages a WebSocket library assembles.
/// </summary>
public sealed class WireWebSocket : IDisposable
{
    private readonly Socket _socket;

    private WireWebSocket(Socket socket, string responseHead)
    {
        _socket = socket;
        ResponseHead = responseHead;
    }

    /// <summary>The server's 101 response, status line and headers.</summary>
    public string ResponseHead { get; }

    /// <param name="receiveBufferSize">Set before connecting, so the advertised TCP window stays that small.</param>
    /// <param name="extensions">A <c>Sec-WebSocket-Extensions</c> offer, e.g. <c>permessage-deflate</c>.</param>
    public static async Task<WireWebSocket> ConnectAsync(Uri baseUri, string pathAndQuery, int? receiveBufferSize = null, string? extensions = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        try
        {
            await socket.ConnectAsync(baseUri.Host, baseUri.Port).WithTimeout();
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request =
                $"GET {pathAndQuery} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n" +
                (extensions is null ? string.Empty : $"Sec-WebSocket-Extensions: {extensions}\r\n") + "\r\n";
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
            return new WireWebSocket(socket, head.ToString());
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one masked text frame with FIN set, as a client must.</summary>
    public Task SendTextAsync(string text) => SendFrameAsync(WireFrame.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>Sends one masked frame with FIN set (a PONG answering a server's PING, say).</summary>
    public Task SendFrameAsync(int opcode, byte[] payload) =>
        _socket.SendAsync(ClientFrame(opcode, payload, RandomNumberGenerator.GetBytes(4))).WithTimeout();

    /// <summary>A final client frame as RFC 6455 §5.2 lays it out: the shortest length form, the payload masked with <paramref name="mask"/>.</summary>
    public static byte[] ClientFrame(int opcode, byte[] payload, byte[] mask)
    {
        var header = new List<byte> { (byte)(0x80 | opcode) };
        if (payload.Length < 126)
        {
            header.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add(0x80 | 126);
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add(0x80 | 127);
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            header.AddRange(length);
        }

        header.AddRange(mask);
        var frame = new byte[header.Count + payload.Length];
        header.CopyTo(frame);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[header.Count + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        return frame;
    }

    /// <summary>The next frame from the server, which must not be masked.</summary>
    public async Task<WireFrame> ReceiveFrameAsync()
    {
        var head = await ReceiveExactlyAsync(2);
        Assert.True((head[1] & 0x80) == 0, "a server must not mask its frames");
        long length = head[1] & 0x7F;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(await ReceiveExactlyAsync(2));
        }
        else if (length == 127)
        {
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReceiveExactlyAsync(8));
        }

        return new WireFrame((head[0] & 0x80) != 0, head[0] & 0x0F, await ReceiveExactlyAsync(checked((int)length)), (head[0] & 0x40) != 0);
    }

    private async Task<byte[]> ReceiveExactlyAsync(int count)
    {
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await _socket.ReceiveAsync(buffer.AsMemory(filled)).WithTimeout();
            Assert.True(read > 0, $"the server closed the connection {count - filled} bytes short of a frame");
            filled += read;
        }

        return buffer;
    }

    public void Dispose() => _socket.Dispose();
}
