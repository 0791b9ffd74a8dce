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

    /// <summary>Original clients; they get <c>usernames</c> and <c>message</c>.</summary>
    public const string ClassicRoom = "openchat:classic";

    /// <summary>Clients that declared <c>auth.protocol = 2</c>; they get the structured events.</summary>
    public const string RichRoom = "openchat:rich";

    /// <summary>The protocol version a rich client declares in its CONNECT auth payload.</summary>
    public const int RichProtocol = 2;
}

/// <summary>A chat message as rich clients receive it.</summary>
public sealed record ChatMessage(string Id, string Username, string Text, long SentAt, string SenderId);

/// <summary>A join/leave/rename/info notice.</summary>
public sealed record SystemNotice(string Kind, string Text, long At);

/// <summary>One user in a presence snapshot or delta.</summary>
public sealed record PresenceEntry(string Id, string Name);

/// <summary>The complete online list, sent to a rich client when it connects.</summary>
public sealed record PresenceSnapshot(IReadOnlyList<PresenceEntry> Users);

/// <summary>Changes in one presence window; apply joined, then renamed, then left.</summary>
public sealed record PresenceDelta(IReadOnlyList<PresenceEntry> Joined, IReadOnlyList<string> Left, IReadOnlyList<PresenceEntry> Renamed);

/// <summary>The answer to <c>add_username</c> and <c>my_mssg</c> acknowledgements.</summary>
public sealed record ChatReply(bool Ok, string? Reason = null, string? Name = null);

/// <summary>A refusal sent to a client that did not ask for an acknowledgement.</summary>
public sealed record Refusal(string Event, string Reason);
