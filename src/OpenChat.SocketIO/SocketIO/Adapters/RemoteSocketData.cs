using System.Globalization;
using System.Text.Json;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// What an adapter reports about a socket for <c>FetchSocketsAsync</c>, on this server or another: its id,
/// its handshake and data as JSON, and its rooms. The JSON has the shape the Node adapters exchange
/// (<c>{id, handshake: {headers, time, address, xdomain, secure, issued, url, query, auth}, rooms, data}</c>),
/// so sockets of Node servers in the same cluster are described the same way.
/// </summary>
public sealed record RemoteSocketData(string Id, JsonElement Handshake, IReadOnlyList<string> Rooms, JsonElement Data)
{
    /// <summary>Describes a socket of this server.</summary>
    public static RemoteSocketData FromSocket(SocketIOSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var options = socket.Namespace.Server.JsonOptions;
        var data = JsonSerializer.SerializeToElement(socket.Data, options);
        return new RemoteSocketData(socket.Id, DescribeHandshake(socket.Handshake), [.. socket.Rooms], data);
    }

    /// <summary>The handshake as Node's <c>socket.handshake</c> serializes.</summary>
    public static JsonElement DescribeHandshake(Handshake handshake)
    {
        ArgumentNullException.ThrowIfNull(handshake);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("headers");
            foreach (var (name, value) in handshake.Headers)
            {
                writer.WriteString(name.ToLowerInvariant(), value);
            }

            writer.WriteEndObject();
            var issued = handshake.Issued.ToUniversalTime();
            writer.WriteString("time", issued.ToString("ddd MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", CultureInfo.InvariantCulture));
            writer.WriteString("address", handshake.Address);
            writer.WriteBoolean("xdomain", handshake.Headers.ContainsKey("origin"));
            writer.WriteBoolean("secure", handshake.Request.Secure);
            writer.WriteNumber("issued", issued.ToUnixTimeMilliseconds());
            writer.WriteString("url", handshake.Request.Url);
            writer.WriteStartObject("query");
            foreach (var (name, value) in handshake.Query)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WritePropertyName("auth");
            handshake.Auth.WriteTo(writer);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
