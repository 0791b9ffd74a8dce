using System.Buffers;
using System.Text.Json;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>The handshake packet: exactly the fields the v4 clients read, in the reference order.</summary>
internal static class OpenPacket
{
    public static EngineFrame Create(string sid, bool canUpgrade, TimeSpan pingInterval, TimeSpan pingTimeout, long maxPayload)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        buffer.GetSpan(1)[0] = EngineFrame.TypeChar(EnginePacketType.Open);
        buffer.Advance(1);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("sid", sid);
            json.WriteStartArray("upgrades");
            if (canUpgrade)
            {
                json.WriteStringValue("websocket");
            }

            json.WriteEndArray();
            json.WriteNumber("pingInterval", (long)pingInterval.TotalMilliseconds);
            json.WriteNumber("pingTimeout", (long)pingTimeout.TotalMilliseconds);
            json.WriteNumber("maxPayload", maxPayload);
            json.WriteEndObject();
        }

        return new EngineFrame(buffer.WrittenMemory.ToArray(), isBinary: false);
    }
}
