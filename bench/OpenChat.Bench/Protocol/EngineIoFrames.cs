using System.Buffers.Text;
using System.Text;

namespace OpenChat.Bench.Protocol;

/// <summary>
/// The few Engine.IO v4 / Socket.IO v5 text frames the load generator writes and recognises. Frames are
/// built and classified on bytes, without a JSON document per message.
/// </summary>
public static class EngineIoFrames
{
    public static readonly byte[] Pong = "3"u8.ToArray();
    public static readonly byte[] Connect = "40"u8.ToArray();
    public static readonly byte[] Upgrade = "5"u8.ToArray();

    /// <summary>Separates packets in a long-polling payload.</summary>
    public const byte RecordSeparator = 0x1e;

    public static ReadOnlySpan<byte> MessagePrefix => "42[\"message\",\""u8;

    public static ReadOnlySpan<byte> UsernamesPrefix => "42[\"usernames\",["u8;

    /// <summary>The WebSocket endpoint of a server, e.g. ws://127.0.0.1:8000/socket.io/?EIO=4&amp;transport=websocket.</summary>
    public static Uri WebSocketUri(Uri server) =>
        new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = "/socket.io/", Query = "EIO=4&transport=websocket" }.Uri;

    /// <summary>The long-polling endpoint; <paramref name="sid"/> is null for the handshake.</summary>
    public static Uri PollingUri(Uri server, string? sid) =>
        new UriBuilder(server) { Path = "/socket.io/", Query = sid is null ? "EIO=4&transport=polling" : $"EIO=4&transport=polling&sid={sid}" }.Uri;

    /// <summary><c>42["add_username","name"]</c>; names used by the harness need no JSON escaping.</summary>
    public static byte[] AddUsername(string name) => Encoding.UTF8.GetBytes($"42[\"add_username\",\"{name}\"]");

    /// <summary>
    /// Writes <c>42["my_mssg","&lt;timestamp&gt; &lt;padding&gt;"]</c> into <paramref name="destination"/> and returns
    /// its length. The timestamp is <see cref="System.Diagnostics.Stopwatch"/> ticks, read back by receivers; the
    /// padding is <c>x</c>s, or with <paramref name="realisticText"/> chat-like text (<see cref="ChatText"/>).
    /// </summary>
    public static int WriteChatMessage(Span<byte> destination, long timestamp, int paddingBytes, bool realisticText = false)
    {
        var prefix = "42[\"my_mssg\",\""u8;
        prefix.CopyTo(destination);
        var length = prefix.Length;
        Utf8Formatter.TryFormat(timestamp, destination[length..], out var written);
        length += written;
        destination[length++] = (byte)' ';
        if (realisticText)
        {
            ChatText.Fill(destination.Slice(length, paddingBytes), timestamp);
        }
        else
        {
            destination.Slice(length, paddingBytes).Fill((byte)'x');
        }

        length += paddingBytes;
        "\"]"u8.CopyTo(destination[length..]);
        return length + 2;
    }

    /// <summary>Room needed by <see cref="WriteChatMessage"/>.</summary>
    public static int ChatMessageCapacity(int paddingBytes) => 20 + 24 + paddingBytes;
}
