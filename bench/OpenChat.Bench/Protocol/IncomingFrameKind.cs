namespace OpenChat.Bench.Protocol;

/// <summary>What an incoming Engine.IO text frame is, as far as the load generator cares.</summary>
public enum IncomingFrameKind
{
    Other,
    Open,
    Ping,
    Close,
    Connected,
    ConnectError,
    ChatMessage,
    Usernames,
}
