namespace OpenChat.Chat;

/// <summary>Event names of the chat protocol. The first four are the original contract.</summary>
public static class ChatEvents
{
    public const string AddUsername = "add_username";
    public const string SendMessage = "my_mssg";
    public const string Usernames = "usernames";
    public const string Message = "message";

    public const string Chat = "chat";
    public const string System = "system";
    public const string PresenceSnapshot = "presence_snapshot";
    public const string PresenceDelta = "presence_delta";
    public const string Refused = "refused";

    /// <summary>Rich clients only: a page of a channel's stored messages.</summary>
    public const string History = "history";

    /// <summary>Rich clients only: every channel, and whether this client is in it.</summary>
    public const string Channels = "channels";

    public const string CreateChannel = "create_channel";
    public const string JoinChannel = "join_channel";
    public const string LeaveChannel = "leave_channel";

    /// <summary>Server to rich clients: someone created a channel.</summary>
    public const string ChannelCreated = "channel_created";

    /// <summary>Original clients; they get <c>usernames</c> and <c>message</c>.</summary>
    public const string ClassicRoom = "openchat:classic";

    /// <summary>Clients that declared <c>auth.protocol = 2</c>; they get the structured events.</summary>
    public const string RichRoom = "openchat:rich";

    /// <summary>The protocol version a rich client declares in its CONNECT auth payload.</summary>
    public const int RichProtocol = 2;
}

/// <summary>
/// A chat message as rich clients receive it; <see cref="Id"/> is the stored id, as in <c>history</c>;
/// <see cref="Avatar"/> is the URL of the signed-in sender's picture (absent for guests and users without one).
/// </summary>
public sealed record ChatMessage(string Id, string Channel, string Username, string Text, long SentAt, string SenderId, string? Avatar = null);

/// <summary>A join/leave/rename/info notice.</summary>
public sealed record SystemNotice(string Kind, string Text, long At);

/// <summary>One user in a presence snapshot or delta; <see cref="Avatar"/> is the URL of their picture, absent when they have none.</summary>
public sealed record PresenceEntry(string Id, string Name, string? Avatar = null);

/// <summary>A user whose picture changed: the new URL, or absent when they went back to initials.</summary>
public sealed record AvatarChange(string Id, string? Avatar);

/// <summary>The complete online list, sent to a rich client when it connects.</summary>
public sealed record PresenceSnapshot(IReadOnlyList<PresenceEntry> Users);

/// <summary>
/// Changes in one presence window; apply joined, then renamed, then avatars, then left. <see cref="Avatars"/>
/// is absent when no picture changed, so the delta is then exactly what it was before pictures existed.
/// </summary>
public sealed record PresenceDelta(IReadOnlyList<PresenceEntry> Joined, IReadOnlyList<string> Left, IReadOnlyList<PresenceEntry> Renamed, IReadOnlyList<AvatarChange>? Avatars = null);

/// <summary>The answer to <c>add_username</c> (with the name) and <c>my_mssg</c> (with the stored message's id) acknowledgements.</summary>
public sealed record ChatReply(bool Ok, string? Reason = null, string? Name = null, string? Id = null);

/// <summary>A refusal sent to a client that did not ask for an acknowledgement.</summary>
public sealed record Refusal(string Event, string Reason);
