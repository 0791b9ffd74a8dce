using System.Text.Json;
using OpenChat.SocketIO;

namespace OpenChat.Chat;

/// <summary>Which protocol a client speaks: rich clients declare <c>auth.protocol = 2</c> in their CONNECT.</summary>
public static class ClientProtocol
{
    public const string RichOnly = "Channels and history need the rich protocol (connect with auth: {protocol: 2}).";

    public static bool IsRich(SocketIOSocket socket) => IsRich(socket.Handshake.Auth);

    public static bool IsRich(JsonElement auth) =>
        auth.ValueKind == JsonValueKind.Object
        && auth.TryGetProperty("protocol", out var protocol)
        && protocol.ValueKind == JsonValueKind.Number
        && protocol.TryGetInt32(out var version)
        && version >= ChatEvents.RichProtocol;
}
