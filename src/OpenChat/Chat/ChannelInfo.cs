using OpenChat.Storage;

namespace OpenChat.Chat;

/// <summary>A channel as rich clients see it: its name and when it was created (Unix ms).</summary>
public sealed record ChannelInfo(string Name, long CreatedAt)
{
    public static ChannelInfo From(ChannelRecord channel) => new(channel.Name, channel.CreatedAt);
}
