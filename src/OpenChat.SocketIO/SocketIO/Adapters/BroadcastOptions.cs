namespace OpenChat.SocketIO.Adapters;

/// <summary>Who a broadcast reaches: members of any of <see cref="Rooms"/> (everyone when empty), minus members of any of <see cref="Except"/>.</summary>
public sealed record BroadcastOptions(IReadOnlySet<string> Rooms, IReadOnlySet<string> Except)
{
    /// <summary>Everyone in the namespace.</summary>
    public static BroadcastOptions Everyone { get; } = new(new HashSet<string>(), new HashSet<string>());
}
