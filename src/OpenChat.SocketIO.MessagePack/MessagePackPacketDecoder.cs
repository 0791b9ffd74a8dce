using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagePack;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Notepack;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.MessagePack;

/// <summary>
/// Reads one binary message per packet, as socket.io-msgpack-parser's decoder does: a notepack map whose
/// <c>type</c> is an integer from CONNECT to CONNECT_ERROR, <c>nsp</c> a string and <c>id</c>, if present, an
/// integer; other keys (the client's <c>options</c>) are ignored. Binary values in the data become attachments.
/// </summary>
internal sealed class MessagePackPacketDecoder(SocketIODecoderLimits limits) : SocketIOPacketDecoder
{
    private const int MaxDepth = 64;

    public override SocketIODecodeResult Add(EngineMessage message, out SocketIOPacket? packet, out string? error)
    {
        packet = null;
        if (!message.IsBinary)
        {
            error = "the msgpack parser takes binary messages only";
            return SocketIODecodeResult.Invalid;
        }

        try
        {
            return Read(message.Data, out packet, out error);
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException)
        {
            error = "invalid msgpack: " + ex.Message;
            return SocketIODecodeResult.Invalid;
        }
    }

    private SocketIODecodeResult Read(ReadOnlyMemory<byte> data, out SocketIOPacket? packet, out string? error)
    {
        packet = null;
        var reader = new MessagePackReader(data);
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            error = "a packet must be a map";
            return SocketIODecodeResult.Invalid;
        }

        int? type = null;
        string? nsp = null;
        long? id = null;
        ReadOnlyMemory<byte> json = default;
        var attachments = new List<ReadOnlyMemory<byte>>();
        var entries = reader.ReadMapHeader();
        for (var i = 0; i < entries; i++)
        {
            switch (NotepackJson.ReadKey(ref reader))
            {
                case "type" when reader.NextMessagePackType == MessagePackType.Integer:
                    type = reader.ReadInt32();
                    break;
                case "type":
                    error = "invalid packet type";
                    return SocketIODecodeResult.Invalid;
                case "nsp" when reader.NextMessagePackType == MessagePackType.String:
                    nsp = reader.ReadString();
                    break;
                case "nsp":
                    error = "invalid namespace";
                    return SocketIODecodeResult.Invalid;
                case "id" when reader.NextMessagePackType == MessagePackType.Integer:
                    id = reader.ReadInt64();
                    break;
                case "id" when IsUndefined(reader):
                    reader.Skip();
                    break;
                case "id":
                    error = "invalid packet id";
                    return SocketIODecodeResult.Invalid;
                case "data" when IsUndefined(reader):
                    reader.Skip();
                    break;
                case "data":
                    json = ReadJson(ref reader, attachments);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (!reader.End)
        {
            error = "trailing bytes after the packet";
            return SocketIODecodeResult.Invalid;
        }

        if (type is not (>= (int)SocketPacketType.Connect and <= (int)SocketPacketType.ConnectError))
        {
            error = "invalid packet type";
            return SocketIODecodeResult.Invalid;
        }

        if (nsp is null)
        {
            error = "invalid namespace";
            return SocketIODecodeResult.Invalid;
        }

        if (attachments.Count > limits.MaxAttachments)
        {
            error = "too many binary values";
            return SocketIODecodeResult.Invalid;
        }

        packet = new SocketIOPacket((SocketPacketType)type.Value, nsp, id, json, attachments);
        error = null;
        return SocketIODecodeResult.Complete;
    }

    private static ReadOnlyMemory<byte> ReadJson(ref MessagePackReader reader, List<ReadOnlyMemory<byte>> attachments)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true, MaxDepth = MaxDepth + 1 }))
        {
            NotepackJson.Read(ref reader, json, attachments);
        }

        return buffer.WrittenMemory;
    }

    private static bool IsUndefined(MessagePackReader peek)
    {
        if (peek.NextMessagePackType != MessagePackType.Extension)
        {
            return false;
        }

        var header = peek.ReadExtensionFormatHeader();
        return header.TypeCode == 0 && header.Length == 1;
    }
}
