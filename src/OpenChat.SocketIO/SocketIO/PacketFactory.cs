using System.Text.Json;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>Builds the encoded packets the server sends: events, acks, connect replies and errors.</summary>
internal static class PacketFactory
{
    public static EncodedPacket Event(string nsp, long? ackId, string eventName, object?[] args, JsonSerializerOptions options) =>
        SocketPacketEncoder.Encode(SocketPacketType.Event, nsp, ackId, (eventName, args, options), static (w, s) =>
        {
            w.WriteStartArray();
            w.WriteStringValue(s.eventName);
            foreach (var arg in s.args)
            {
                SocketPacketEncoder.WriteValue(w, arg, s.options);
            }

            w.WriteEndArray();
        });

    public static EncodedPacket Event(string nsp, long? ackId, string eventName, EventArguments args) =>
        SocketPacketEncoder.Encode(SocketPacketType.Event, nsp, ackId, (eventName, args), static (w, s) =>
        {
            w.WriteStartArray();
            w.WriteStringValue(s.eventName);
            foreach (var arg in s.args)
            {
                BinaryPlaceholder.WriteElement(w, arg, s.args.Attachments);
            }

            w.WriteEndArray();
        });

    public static EncodedPacket Ack(string nsp, long ackId, object?[] args, JsonSerializerOptions options) =>
        SocketPacketEncoder.Encode(SocketPacketType.Ack, nsp, ackId, (args, options), static (w, s) =>
        {
            w.WriteStartArray();
            foreach (var arg in s.args)
            {
                SocketPacketEncoder.WriteValue(w, arg, s.options);
            }

            w.WriteEndArray();
        });

    public static EncodedPacket Ack(string nsp, long ackId, EventArguments args) =>
        SocketPacketEncoder.Encode(SocketPacketType.Ack, nsp, ackId, args, static (w, s) =>
        {
            w.WriteStartArray();
            foreach (var arg in s)
            {
                BinaryPlaceholder.WriteElement(w, arg, s.Attachments);
            }

            w.WriteEndArray();
        });

    /// <summary>
    /// The CONNECT reply: <c>{"sid":…}</c>, with recovery on <c>{"sid":…,"pid":…}</c> as Node writes it, and
    /// without data in protocol 4 (2.x clients); the client reads it before anything sent after it.
    /// </summary>
    public static EncodedPacket Connected(string nsp, string socketId, int protocol, string? privateId = null) =>
        (protocol == 4
            ? SocketPacketEncoder.Encode(SocketPacketType.Connect, nsp)
            : SocketPacketEncoder.Encode(SocketPacketType.Connect, nsp, null, (socketId, privateId), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteString("sid", s.socketId);
                if (s.privateId is not null)
                {
                    w.WriteString("pid", s.privateId);
                }

                w.WriteEndObject();
            })).ReadBeforeNext();

    /// <summary>A refused CONNECT: <c>{message, data}</c> in protocol 5; in protocol 4 the data, or else the message.</summary>
    public static EncodedPacket ConnectError(string nsp, string message, object? details, JsonSerializerOptions options, int protocol = 5) =>
        protocol == 4
            ? SocketPacketEncoder.Encode(SocketPacketType.ConnectError, nsp, null, (message, details, options), static (w, s) =>
                SocketPacketEncoder.WriteValue(w, s.details ?? s.message, s.options))
            : SocketPacketEncoder.Encode(SocketPacketType.ConnectError, nsp, null, (message, details, options), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteString("message", s.message);
                if (s.details is not null)
                {
                    w.WritePropertyName("data");
                    SocketPacketEncoder.WriteValue(w, s.details, s.options);
                }

                w.WriteEndObject();
            });

    public static EncodedPacket Disconnect(string nsp) => SocketPacketEncoder.Encode(SocketPacketType.Disconnect, nsp);
}
