using System.Buffers;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// The framing of one Engine.IO protocol version, as the transports use it: single packets (one per
/// WebSocket message) and polling payloads. <see cref="EngineV4Codec"/> and <see cref="EngineV3Codec"/>
/// implement it. Pure: no I/O, never throws on bad input.
/// </summary>
internal interface IEngineCodec
{
    /// <summary>The protocol version (the <c>EIO</c> query parameter).</summary>
    int Version { get; }

    /// <summary>
    /// What a binary WebSocket message starts with before the data: nothing in v4, the packet type byte in
    /// v3. Sent as a fragment of its own, so shared frames are never copied per recipient.
    /// </summary>
    ReadOnlyMemory<byte> BinaryMessagePrefix { get; }

    /// <summary>Decodes one text packet (a WebSocket text message or one record of a payload).</summary>
    bool TryDecodeText(ReadOnlyMemory<byte> utf8, out EnginePacket packet);

    /// <summary>Decodes one binary WebSocket message.</summary>
    bool TryDecodeBinary(ReadOnlyMemory<byte> data, out EnginePacket packet);

    /// <summary>
    /// Decodes a polling request body (<paramref name="isBinaryBody"/> when its content type is
    /// <c>application/octet-stream</c>). False (ignore what was added) when any part is malformed.
    /// </summary>
    bool TryDecodePayload(ReadOnlyMemory<byte> body, bool isBinaryBody, List<EnginePacket> packets);

    /// <summary>
    /// Writes frames as one polling payload; binary frames go as binary when the client accepts it
    /// (<paramref name="binaryAccepted"/>). Returns true when the payload is binary (<c>application/octet-stream</c>).
    /// </summary>
    bool EncodePayload(ReadOnlySpan<EngineFrame> frames, bool binaryAccepted, IBufferWriter<byte> output);

    /// <summary>A binary frame as a text message (<c>b</c>, the type, base64), for a WebSocket client that asked for base64.</summary>
    EngineFrame AsBase64Text(EngineFrame binary);
}
