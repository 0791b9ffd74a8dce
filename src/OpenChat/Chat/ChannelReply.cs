namespace OpenChat.Chat;

/// <summary>
/// The answer to <c>channels</c> (<c>{ok, channels}</c>), <c>create_channel</c> and <c>join_channel</c>
/// (<c>{ok, channel}</c>), <c>leave_channel</c> (<c>{ok}</c>), or a refusal (<c>{ok: false, reason}</c>).
/// </summary>
public sealed record ChannelReply(bool Ok, string? Reason = null, ChannelInfo? Channel = null, IReadOnlyList<ChannelListEntry>? Channels = null);
