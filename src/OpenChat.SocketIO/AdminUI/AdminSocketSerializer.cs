using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenChat.SocketIO.AdminUI;

/// <summary>
/// Socket descriptions in the shape Node's admin server sends (<c>SerializedSocket</c>): id, clientId,
/// transport, nsp, data, handshake {address, headers, query, issued, secure, time, url, xdomain}, rooms.
/// The auth payload is left out, as Node leaves it out.
/// </summary>
internal static class AdminSocketSerializer
{
    public static JsonObject Serialize(SocketIOSocket socket, JsonSerializerOptions json)
    {
        var handshake = socket.Handshake;
        var request = handshake.Request;
        return new JsonObject
        {
            ["id"] = socket.Id,
            ["clientId"] = ClientId(socket),
            ["transport"] = socket.Transport,
            ["nsp"] = socket.Namespace.Name,
            ["data"] = Data(socket, json),
            ["handshake"] = new JsonObject
            {
                ["address"] = Address(handshake.Headers, handshake.Address),
                ["headers"] = ToObject(handshake.Headers, lowerCaseKeys: true),
                ["query"] = ToObject(handshake.Query, lowerCaseKeys: false),
                ["issued"] = request.Issued.ToUnixTimeMilliseconds(),
                ["secure"] = request.Secure,
                ["time"] = DateString(request.Issued),
                ["url"] = request.Url,
                ["xdomain"] = handshake.Headers.ContainsKey("origin"),
            },
            ["rooms"] = new JsonArray([.. socket.Rooms.Select(static r => (JsonNode?)r)]),
        };
    }

    /// <summary>A socket of another server of the cluster, from what <c>FetchSocketsAsync</c> brought back.</summary>
    public static JsonObject Serialize(RemoteSocket socket, string nsp)
    {
        var raw = socket.Handshake.Raw;
        var data = socket.Data.ValueKind == JsonValueKind.Object ? JsonNode.Parse(socket.Data.GetRawText())!.AsObject() : new JsonObject();
        var admin = data["_admin"] as JsonObject;
        data.Remove("_admin");
        var handshake = new JsonObject { ["address"] = Address(socket.Handshake.Headers, socket.Handshake.Address) };
        foreach (var key in (string[])["headers", "query", "issued", "secure", "time", "url", "xdomain"])
        {
            if (raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty(key, out var value))
            {
                handshake[key] = JsonNode.Parse(value.GetRawText());
            }
        }

        return new JsonObject
        {
            ["id"] = socket.Id,
            ["clientId"] = admin?["clientId"]?.DeepClone(),
            ["transport"] = admin?["transport"]?.DeepClone(),
            ["nsp"] = nsp,
            ["data"] = data,
            ["handshake"] = handshake,
            ["rooms"] = new JsonArray([.. socket.Rooms.Select(static r => (JsonNode?)r)]),
        };
    }

    /// <summary>Only the first 12 characters of the Engine.IO id, as Node: the whole id would let anyone who sees the UI join the session.</summary>
    public static string ClientId(SocketIOSocket socket) => socket.Engine.Id.Length > 12 ? socket.Engine.Id[..12] : socket.Engine.Id;

    /// <summary>The socket's application data; values that do not serialize show as their type name rather than failing the whole list.</summary>
    public static JsonObject Data(SocketIOSocket socket, JsonSerializerOptions json)
    {
        var data = new JsonObject();
        foreach (var (key, value) in socket.Data)
        {
            try
            {
                data[key] = JsonSerializer.SerializeToNode(value, json);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException)
            {
                data[key] = value?.GetType().Name;
            }
        }

        return data;
    }

    // Node's choice, in order: the address a CDN or proxy reports, then the connection's.
    private static string? Address(IReadOnlyDictionary<string, string> headers, string? address) =>
        headers.TryGetValue("cf-connecting-ip", out var cf) ? cf
        : headers.TryGetValue("x-forwarded-for", out var forwarded) ? forwarded
        : address;

    // Node's header names are lower case; query names are as sent.
    private static JsonObject ToObject(IReadOnlyDictionary<string, string> values, bool lowerCaseKeys)
    {
        var result = new JsonObject();
        foreach (var (key, value) in values)
        {
            result[lowerCaseKeys ? key.ToLowerInvariant() : key] = value;
        }

        return result;
    }

    /// <summary>JavaScript's <c>Date.prototype.toString()</c> in UTC, which Node's handshake <c>time</c> is.</summary>
    internal static string DateString(DateTimeOffset time) =>
        time.UtcDateTime.ToString("ddd MMM dd yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " GMT+0000 (Coordinated Universal Time)";

    /// <summary>What JSON.stringify makes of a JavaScript Date: ISO 8601 with milliseconds, in UTC.</summary>
    internal static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
