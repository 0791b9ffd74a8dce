using System.Text.Json;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>How a socket connected: the CONNECT auth payload and the Engine.IO handshake request.</summary>
public sealed class Handshake
{
    private static readonly JsonElement EmptyObject = JsonSerializer.Deserialize<JsonElement>("{}"u8);

    internal Handshake(HandshakeRequest request, JsonElement? auth)
    {
        Request = request;
        Auth = auth ?? EmptyObject;
    }

    /// <summary>The <c>auth</c> object the client sent with CONNECT (an empty object if none).</summary>
    public JsonElement Auth { get; }

    /// <summary>The HTTP request that opened the connection.</summary>
    public HandshakeRequest Request { get; }

    /// <summary>Request headers.</summary>
    public IReadOnlyDictionary<string, string> Headers => Request.Headers;

    /// <summary>Query string parameters.</summary>
    public IReadOnlyDictionary<string, string> Query => Request.Query;

    /// <summary>The client's IP address.</summary>
    public string? Address => Request.RemoteAddress?.ToString();

    /// <summary>When the connection was opened.</summary>
    public DateTimeOffset Issued => Request.Issued;

    /// <summary>Reads a string property of <see cref="Auth"/>, or null.</summary>
    public string? GetAuthString(string name) =>
        Auth.ValueKind == JsonValueKind.Object && Auth.TryGetProperty(name, out var value) && JsonStrings.TryGet(value, out var text)
            ? text
            : null;
}
