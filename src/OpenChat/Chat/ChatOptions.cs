namespace OpenChat.Chat;

/// <summary>Chat rules and limits; bound from the "Chat" configuration section (e.g. Chat__MaxMessageLength).</summary>
public sealed class ChatOptions
{
    /// <summary>Longest accepted user name, in characters, after trimming. Default 32.</summary>
    public int MaxNameLength { get; set; } = 32;

    /// <summary>Longest accepted message, in characters. Default 2000.</summary>
    public int MaxMessageLength { get; set; } = 2000;

    /// <summary>
    /// Presence changes (joins, renames, leaves) are gathered for this long and sent as one update, so a
    /// burst of joins costs a handful of broadcasts rather than one per join. Default 150 ms.
    /// </summary>
    public TimeSpan PresenceWindow { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// Most bytes per second the <c>usernames</c> lists may cost, summed over their recipients. A list of
    /// 10 000 names sent to 10 000 original clients is about a gigabyte per update, so with long lists and
    /// many listeners the presence window grows beyond <see cref="PresenceWindow"/> to stay under this.
    /// Zero or less turns the cap off. Default 100 000 000 (100 MB/s).
    /// </summary>
    public long PresenceBytesPerSecond { get; set; } = 100_000_000;

    /// <summary>
    /// How long a rich client whose connection dropped (not one that left) stays in everyone's list before they
    /// hear it left. If it comes back and Socket.IO recovers its session meanwhile, nobody sees it leave or join
    /// again. Lists are therefore exact within this grace plus one presence window. Needs
    /// <c>SocketIO:ConnectionStateRecovery</c> on (the app's default); zero announces every leave at once.
    /// Default 15 s, a few of the browser client's reconnection attempts.
    /// </summary>
    public TimeSpan ReconnectGrace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Chat messages one connection may send per second, sustained. Default 5.</summary>
    public double MessagesPerSecond { get; set; } = 5;

    /// <summary>Chat messages one connection may send in a burst. Default 10.</summary>
    public int MessageBurst { get; set; } = 10;

    /// <summary>
    /// Chat messages all connections from one address (IPv6: one /64) may send per second together, beside
    /// each connection's own budget. Zero or less turns it off. Default 30: a busy office behind one NAT
    /// talks freely, one client with sixty connections gets no more than this.
    /// </summary>
    public double MessagesPerSecondPerIp { get; set; } = 30;

    /// <summary>Chat messages all connections from one address may send in a burst. Default 60.</summary>
    public int MessageBurstPerIp { get; set; } = 60;

    /// <summary>Renames one connection may make per minute, sustained. Default 6.</summary>
    public double RenamesPerMinute { get; set; } = 6;

    /// <summary>Renames one connection may make in a burst. Default 3.</summary>
    public int RenameBurst { get; set; } = 3;

    /// <summary>Above this many joins (or leaves) in one window, the system line summarizes them ("12 people joined"). Default 3.</summary>
    public int SystemLinesPerWindow { get; set; } = 3;

    /// <summary>Longest channel name, in characters, the leading # included. Default 32.</summary>
    public int MaxChannelNameLength { get; set; } = 32;

    /// <summary>Most channels the chat may have, #general included; creating one more is refused. Default 50.</summary>
    public int MaxChannels { get; set; } = 50;

    /// <summary>Messages in a <c>history</c> answer when the request gives no limit. Default 50.</summary>
    public int HistoryDefaultLimit { get; set; } = 50;

    /// <summary>Most messages in one <c>history</c> answer; a larger limit is lowered to this. Default 100.</summary>
    public int HistoryMaxLimit { get; set; } = 100;

    /// <summary>History requests one connection may make per second, sustained. Default 5.</summary>
    public double HistoryRequestsPerSecond { get; set; } = 5;

    /// <summary>History requests one connection may make in a burst (a page filling several channels at once). Default 60.</summary>
    public int HistoryRequestBurst { get; set; } = 60;
}
