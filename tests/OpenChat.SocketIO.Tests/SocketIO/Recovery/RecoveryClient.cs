using System.Text.Json;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO.Recovery;

/// <summary>
/// A raw Socket.IO client over WebSocket that speaks connection state recovery as socket.io-client 4.8 does: it
/// remembers the <c>pid</c> of its CONNECT reply and the last string argument of every event (the offset), and
/// sends both in the auth of its next CONNECT.
/// </summary>
public sealed class RecoveryClient : IAsyncDisposable
{
    private RecoveryClient(WsClient ws, string reply, IReadOnlyList<string> before)
    {
        Ws = ws;
        Reply = reply;
        Before = before;
    }

    public WsClient Ws { get; }

    /// <summary>The CONNECT reply (or CONNECT_ERROR) as received.</summary>
    public string Reply { get; }

    /// <summary>What arrived before the CONNECT reply: the missed packets of a recovered session (attachments as <c>&lt;binary HEX&gt;</c>).</summary>
    public IReadOnlyList<string> Before { get; }

    public bool Connected => Reply.StartsWith("40", StringComparison.Ordinal);

    public string Sid => Field("sid")!;

    public string? Pid => Field("pid");

    /// <summary>Opens a WebSocket session and sends a CONNECT with this auth (none when null); reads up to the reply.</summary>
    public static Task<RecoveryClient> ConnectAsync(TestHost host, object? auth = null) => ConnectAsync(host.BaseUri, auth);

    /// <summary>The same against any server, e.g. Node's reference server.</summary>
    public static async Task<RecoveryClient> ConnectAsync(Uri baseUri, object? auth = null)
    {
        var ws = await WsClient.ConnectAsync(new Uri(baseUri.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "socket.io/?EIO=4&transport=websocket"));
        await ws.ReceiveOpenAsync();
        await ws.SendTextAsync(auth is null ? "40" : "40" + JsonSerializer.Serialize(auth));
        var before = new List<string>();
        while (true)
        {
            var message = await ws.ReceiveAsync();
            Assert.False(message.IsClose, $"the connection closed before the CONNECT reply, after {string.Join(" ", before)}");
            var text = message.ToString();
            if (message.Type == System.Net.WebSockets.WebSocketMessageType.Text && (text.StartsWith("40", StringComparison.Ordinal) || text.StartsWith("44", StringComparison.Ordinal)))
            {
                return new RecoveryClient(ws, text, before);
            }

            // Binary attachments appear as "<binary HEX>".
            before.Add(text);
        }
    }

    /// <summary>Comes back as socket.io-client does: with the pid of this session and the last offset seen.</summary>
    public static Task<RecoveryClient> ComeBackAsync(TestHost host, string pid, string offset) =>
        ConnectAsync(host.BaseUri, new { pid, offset });

    /// <summary>The same against any server.</summary>
    public static Task<RecoveryClient> ComeBackAsync(Uri baseUri, string pid, string offset) =>
        ConnectAsync(baseUri, new { pid, offset });

    /// <summary>The next text message, which must be an event; returns its JSON array.</summary>
    public async Task<JsonElement> ReceiveEventAsync()
    {
        var text = await Ws.ReceiveTextAsync();
        return EventData(text);
    }

    /// <summary>The JSON array of an event packet of the main namespace (<c>42[...]</c>).</summary>
    public static JsonElement EventData(string packet)
    {
        Assert.StartsWith("42[", packet);
        using var document = JsonDocument.Parse(packet[2..]);
        return document.RootElement.Clone();
    }

    /// <summary>The offset of an event: its last argument, as the official client reads it.</summary>
    public static string OffsetOf(JsonElement data) => data[data.GetArrayLength() - 1].GetString()!;

    /// <summary>The names of events, in order.</summary>
    public static string[] Names(IEnumerable<string> packets) => [.. packets.Select(p => EventData(p)[0].GetString()!)];

    public ValueTask DisposeAsync() => Ws.DisposeAsync();

    private string? Field(string name)
    {
        using var document = JsonDocument.Parse(Reply[2..]);
        return document.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
    }
}
