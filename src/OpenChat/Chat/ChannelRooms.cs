using OpenChat.Storage;

namespace OpenChat.Chat;

/// <summary>
/// Each channel is a Socket.IO room, named after its key, so delivery goes through the adapter like any
/// broadcast and reaches the channel's members on every instance once the adapter is shared.
/// </summary>
public static class ChannelRooms
{
    private const string Prefix = "openchat:channel:";

    public static string For(ChannelRecord channel) => Prefix + channel.Key;

    /// <summary>Whether the socket's rooms include the channel's.</summary>
    public static bool IsMember(IReadOnlySet<string> rooms, ChannelRecord channel) => rooms.Contains(For(channel));
}
