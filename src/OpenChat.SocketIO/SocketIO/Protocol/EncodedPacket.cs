using System.Text;
using System.Text.Json;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// A Socket.IO packet ready for any number of recipients, held two ways at once: as its parts (type,
/// namespace, ack id, JSON data with <c>{"_placeholder":true,"num":n}</c> markers, binary attachments),
/// which a cluster adapter forwards to other servers, and encoded once as Engine.IO frames, whose bytes
/// every local recipient shares. The data is a slice of the encoded text frame, so holding both costs
/// nothing extra.
/// </summary>
public sealed class EncodedPacket
{
    private readonly int _dataOffset;
    private ReadOnlyMemory<byte>[]? _attachments;
    private System.Runtime.CompilerServices.StrongBox<JsonElement>? _parsed;
    private ParserFrames? _encoded;
    private bool _readBeforeNext;

    private EncodedPacket(EngineFrame[] frames, SocketPacketType type, string nsp, long? ackId, int dataOffset)
    {
        Frames = frames;
        Type = type;
        Namespace = nsp;
        AckId = ackId;
        _dataOffset = dataOffset;
    }

    /// <summary>The packet type: <see cref="SocketPacketType.Event"/> or <see cref="SocketPacketType.Ack"/> whether or not it carries attachments (the binary variants are a matter of encoding), or a control type.</summary>
    public SocketPacketType Type { get; }

    /// <summary>The namespace, starting with <c>/</c>.</summary>
    public string Namespace { get; }

    /// <summary>The acknowledgement id, when the sender waits for one.</summary>
    public long? AckId { get; }

    /// <summary>The JSON data as UTF-8 (an array for events and acks); empty when the packet has none.</summary>
    public ReadOnlyMemory<byte> Data => Frames[0].Bytes[_dataOffset..];

    /// <summary>The binary attachments the placeholders in <see cref="Data"/> point at, in order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments =>
        _attachments ??= Frames.Length == 1 ? [] : Frames.Skip(1).Select(f => f.Bytes).ToArray();

    /// <summary>Asks the transport to let the client read this packet before anything sent after it.</summary>
    internal EncodedPacket ReadBeforeNext()
    {
        _readBeforeNext = true;
        Frames[^1] = Frames[^1] with { ReadBeforeNext = true };
        return this;
    }

    /// <summary>Total bytes on the wire, attachments included.</summary>
    public int Length => Frames.Sum(f => f.Bytes.Length);

    internal EngineFrame[] Frames { get; }

    /// <summary>
    /// Builds a packet from its parts, as an adapter does with one received from another server. The data
    /// must be valid JSON (an array whose first item is the event name, for an event); placeholders must
    /// point at attachments given. The frames are encoded here, once.
    /// </summary>
    /// <exception cref="ArgumentException">The data is not valid for the packet type.</exception>
    public static EncodedPacket Create(SocketPacketType type, string nsp, long? ackId, ReadOnlySpan<byte> data, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(nsp);
        ArgumentNullException.ThrowIfNull(attachments);
        if (type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            type = type == SocketPacketType.BinaryEvent ? SocketPacketType.Event : SocketPacketType.Ack;
        }

        if (type is SocketPacketType.Event or SocketPacketType.Ack && !IsValidData(type, data, attachments.Count))
        {
            throw new ArgumentException($"The data of a {type} packet must be a JSON array{(type == SocketPacketType.Event ? " starting with the event name" : string.Empty)} whose placeholders point at the attachments given.", nameof(data));
        }

        return Build(type, nsp.StartsWith('/') ? nsp : "/" + nsp, ackId, data, attachments);
    }

    /// <summary>The same packet with another acknowledgement id (or none); data and attachments are shared, only the text frame is rebuilt.</summary>
    public EncodedPacket WithAckId(long? ackId) => ackId == AckId ? this : Build(Type, Namespace, ackId, Data.Span, Attachments);

    /// <summary>
    /// The event name and arguments of an event packet, parsed once for all the recipients whose outgoing
    /// listeners ask (a broadcast's packet is shared).
    /// </summary>
    internal (string Name, EventArguments Arguments) ReadEvent(JsonSerializerOptions options)
    {
        var parsed = Volatile.Read(ref _parsed);
        if (parsed is null)
        {
            using var document = JsonDocument.Parse(Data);
            parsed = new System.Runtime.CompilerServices.StrongBox<JsonElement>(document.RootElement.Clone());
            Volatile.Write(ref _parsed, parsed);
        }

        var root = parsed.Value;
        var name = root[0].ValueKind == JsonValueKind.String ? root[0].GetString()! : root[0].GetRawText();
        return (name, EventArguments.FromArray(root, 1, Attachments, options));
    }

    /// <summary>
    /// The same event with <paramref name="offset"/> added as its last argument, as Node's session-aware adapters
    /// add a broadcast's offset (<c>["chat",{…}]</c> becomes <c>["chat",{…},"PZ8yTMb"]</c>); attachments are shared.
    /// </summary>
    /// <exception cref="InvalidOperationException">The packet is not an event.</exception>
    public EncodedPacket WithOffset(string offset)
    {
        ArgumentNullException.ThrowIfNull(offset);
        var data = Data.Span;
        var end = data.LastIndexOfAnyExcept(" \t\r\n"u8);
        if (Type != SocketPacketType.Event || end < 0 || data[end] != (byte)']')
        {
            throw new InvalidOperationException("Only an event packet takes an offset.");
        }

        var encoded = JsonEncodedText.Encode(offset, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
        var appended = new byte[end + encoded.Length + 4];
        data[..end].CopyTo(appended);
        var at = end;
        appended[at++] = (byte)',';
        appended[at++] = (byte)'"';
        encoded.CopyTo(appended.AsSpan(at));
        at += encoded.Length;
        appended[at++] = (byte)'"';
        appended[at] = (byte)']';
        return Build(Type, Namespace, AckId, appended, Attachments);
    }

    internal static EncodedPacket Build(SocketPacketType type, string nsp, long? ackId, ReadOnlySpan<byte> data, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var headerText = "4" + JsonParser.Header(type, nsp, ackId, attachments.Count);
        var headerBytes = Encoding.UTF8.GetByteCount(headerText);
        var text = new byte[headerBytes + data.Length];
        Encoding.UTF8.GetBytes(headerText, text);
        data.CopyTo(text.AsSpan(headerBytes));

        var frames = new EngineFrame[1 + attachments.Count];
        frames[0] = new EngineFrame(text, isBinary: false);
        for (var i = 0; i < attachments.Count; i++)
        {
            frames[i + 1] = EngineFrame.Binary(attachments[i]);
        }

        return new EncodedPacket(frames, type, nsp, ackId, headerBytes);
    }

    /// <summary>
    /// The frames for a server that uses <paramref name="parser"/>: the JSON ones built with the packet, or the
    /// parser's, encoded at the first recipient and shared by every later one.
    /// </summary>
    internal EngineFrame[] FramesFor(SocketIOParser parser)
    {
        if (parser is JsonParser)
        {
            return Frames;
        }

        if (Volatile.Read(ref _encoded) is { } encoded && encoded.Parser == parser)
        {
            return encoded.Frames;
        }

        var messages = new List<EngineMessage>(1 + Attachments.Count);
        parser.Encode(new SocketIOPacket(Type, Namespace, AckId, Data, Attachments), messages);
        var frames = messages.Select(static m => m.IsBinary ? EngineFrame.Binary(m.Data) : EngineFrame.Message(m.Data.Span)).ToArray();
        if (_readBeforeNext && frames.Length > 0)
        {
            frames[^1] = frames[^1] with { ReadBeforeNext = true };
        }

        Volatile.Write(ref _encoded, new ParserFrames(parser, frames));
        return frames;
    }

    private static bool IsValidData(SocketPacketType type, ReadOnlySpan<byte> data, int attachmentCount)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.BytesConsumed != data.Length && data[(int)reader.BytesConsumed..].IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                return false;
            }

            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            if (type == SocketPacketType.Event && (root.GetArrayLength() == 0 || root[0].ValueKind is not (JsonValueKind.String or JsonValueKind.Number)))
            {
                return false;
            }

            return SocketPacketDecoder.HasValidPlaceholders(root, attachmentCount);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed record ParserFrames(SocketIOParser Parser, EngineFrame[] Frames);
}
