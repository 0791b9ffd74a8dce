using System.Text.Json;

namespace OpenChat.SocketIO;

/// <summary>A fetched socket's handshake, read from the JSON its server sent (Node's <c>socket.handshake</c> shape).</summary>
public sealed class RemoteHandshake
{
    private static readonly JsonElement EmptyObject = JsonSerializer.Deserialize<JsonElement>("{}"u8);

    internal RemoteHandshake(JsonElement raw)
    {
        Raw = raw.ValueKind == JsonValueKind.Object ? raw : EmptyObject;
        Headers = ReadStrings("headers");
        Query = ReadStrings("query");
        Auth = Raw.TryGetProperty("auth", out var auth) ? auth : EmptyObject;
        Address = ReadString("address");
        Url = ReadString("url");
        Secure = Raw.TryGetProperty("secure", out var secure) && secure.ValueKind == JsonValueKind.True;
        Issued = Raw.TryGetProperty("issued", out var issued) && issued.TryGetInt64(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>The handshake exactly as received.</summary>
    public JsonElement Raw { get; }

    /// <summary>Request headers (names lower-case, as Node has them).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Query string parameters.</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>The CONNECT auth payload.</summary>
    public JsonElement Auth { get; }

    /// <summary>The client's address.</summary>
    public string? Address { get; }

    /// <summary>Path and query of the handshake request.</summary>
    public string? Url { get; }

    /// <summary>Whether the handshake came over HTTPS.</summary>
    public bool Secure { get; }

    /// <summary>When the handshake happened.</summary>
    public DateTimeOffset? Issued { get; }

    private string? ReadString(string name) =>
        Raw.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private Dictionary<string, string> ReadStrings(string name)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Raw.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in map.EnumerateObject())
            {
                result[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return result;
    }
}
