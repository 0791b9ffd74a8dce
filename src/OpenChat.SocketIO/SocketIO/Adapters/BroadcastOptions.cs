namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// Who a broadcast (or a remote operation such as <c>SocketsJoin</c>) reaches: the sockets in any of
/// <see cref="Rooms"/> (every socket of the namespace when empty), minus the sockets in any of
/// <see cref="Except"/>, with its <see cref="Flags"/>. Both sets keep the order rooms were added in, as
/// the reference server's sets do, so a cluster adapter forwards them exactly as Node would.
/// </summary>
public sealed record BroadcastOptions
{
    /// <summary>Every socket of the namespace, no flags.</summary>
    public static BroadcastOptions Everyone { get; } = new();

    /// <summary>Creates options for these rooms and exceptions.</summary>
    public BroadcastOptions(IEnumerable<string>? rooms = null, IEnumerable<string>? except = null, BroadcastFlags? flags = null)
    {
        Rooms = RoomSet.From(rooms);
        Except = RoomSet.From(except);
        Flags = flags ?? BroadcastFlags.None;
    }

    /// <summary>The rooms targeted; empty means everyone.</summary>
    public IReadOnlySet<string> Rooms { get; init; }

    /// <summary>The rooms whose members are left out (a socket id leaves out that socket).</summary>
    public IReadOnlySet<string> Except { get; init; }

    /// <summary>Modifiers such as <see cref="BroadcastFlags.Local"/>.</summary>
    public BroadcastFlags Flags { get; init; }

    /// <summary>Targets exactly one socket, as a remote socket's operations do.</summary>
    public static BroadcastOptions ForSocket(string socketId) => new([socketId]);
}
