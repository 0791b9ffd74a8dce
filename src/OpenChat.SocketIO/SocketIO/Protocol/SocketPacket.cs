using System.Text.Json;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// A decoded Socket.IO packet. Binary attachments keep their <c>{"_placeholder":true,"num":n}</c> markers in
/// <see cref="Data"/>; the bytes are in <see cref="Attachments"/>, indexed by <c>num</c>.
/// </summary>
internal sealed class SocketPacket
{
    public required SocketPacketType Type { get; init; }

    public string Namespace { get; init; } = "/";

    public long? Id { get; init; }

    public JsonElement? Data { get; init; }

    /// <summary>How many binary attachments follow the packet.</summary>
    public int AttachmentCount { get; init; }

    public List<ReadOnlyMemory<byte>> Attachments { get; } = new();

    public bool IsComplete => Attachments.Count >= AttachmentCount;
}
