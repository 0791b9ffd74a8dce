namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// A Socket.IO packet as every parser sees it, whatever its wire format: the type, the namespace, the
/// acknowledgement id, the data as UTF-8 JSON in which each binary attachment stands as
/// <c>{"_placeholder":true,"num":n}</c>, and the attachments themselves. A parser turns Engine.IO messages
/// into these and these into messages; handlers, acknowledgements and adapters only ever see this model, so
/// one broadcast is encoded once per parser.
/// </summary>
public sealed class SocketIOPacket
{
    /// <summary>Creates a packet from its parts.</summary>
    /// <param name="type">
    /// <see cref="SocketPacketType.Event"/> or <see cref="SocketPacketType.Ack"/> whether or not the packet has
    /// attachments (the binary variants are a matter of the JSON text format), or a control type.
    /// </param>
    /// <param name="namespace">The namespace, starting with <c>/</c>.</param>
    /// <param name="id">The acknowledgement id, if any.</param>
    /// <param name="data">UTF-8 JSON; empty when the packet has no data.</param>
    /// <param name="attachments">The binary attachments the placeholders in <paramref name="data"/> point at.</param>
    public SocketIOPacket(SocketPacketType type, string @namespace, long? id, ReadOnlyMemory<byte> data, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(attachments);
        Type = type switch
        {
            SocketPacketType.BinaryEvent => SocketPacketType.Event,
            SocketPacketType.BinaryAck => SocketPacketType.Ack,
            _ => type,
        };
        Namespace = @namespace;
        Id = id;
        Data = data;
        Attachments = attachments;
    }

    /// <summary>Connect, disconnect, event, ack or connect error.</summary>
    public SocketPacketType Type { get; }

    /// <summary>The namespace, starting with <c>/</c>.</summary>
    public string Namespace { get; }

    /// <summary>The acknowledgement id, if any.</summary>
    public long? Id { get; }

    /// <summary>The data as UTF-8 JSON with attachment placeholders; empty when there is none.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The binary attachments, in placeholder order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }
}
