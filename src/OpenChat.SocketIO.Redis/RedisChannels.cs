namespace OpenChat.SocketIO.Redis;

/// <summary>
/// The channels of one namespace, named as @socket.io/redis-adapter 8.x names them (<c>key</c> defaults to
/// <c>socket.io</c>), plus the heartbeat channel, which Node's classic adapter does not have and so never hears.
/// </summary>
internal sealed record RedisChannels(string Key, string Namespace, string ServerId)
{
    /// <summary><c>socket.io#/#</c>, and <c>socket.io#/#room#</c> for a broadcast to exactly one room; subscribed as a pattern.</summary>
    public string Broadcast => $"{Key}#{Namespace}#";

    /// <summary><c>socket.io-request#/#</c>: requests to every server; its subscriber count is the server count.</summary>
    public string Request => $"{Key}-request#{Namespace}#";

    /// <summary><c>socket.io-response#/#</c>: answers, for every server to sort out.</summary>
    public string Response => $"{Key}-response#{Namespace}#";

    /// <summary><c>socket.io-heartbeat#/#</c>: heartbeats between servers that send them.</summary>
    public string Heartbeat => $"{Key}-heartbeat#{Namespace}#";

    /// <summary>
    /// One glob for every channel of this namespace (<c>socket.io*#/#*</c>): broadcasts, requests, answers and
    /// heartbeats; the key and namespace are escaped, so their own glob characters match only themselves.
    /// </summary>
    public string Pattern => $"{Escape(Key)}*#{Escape(Namespace)}#*";

    /// <summary>The answer channel of one server, <c>socket.io-response#/#uid#</c> (this one's comes through <see cref="Pattern"/>).</summary>
    public string ResponseFor(string serverId) => $"{Response}{serverId}#";

    /// <summary>The broadcast channel of a broadcast: with its room when it targets exactly one.</summary>
    public string BroadcastTo(IReadOnlySet<string> rooms) => rooms.Count == 1 ? Broadcast + rooms.First() + "#" : Broadcast;

    private static string Escape(string glob)
    {
        var escaped = new System.Text.StringBuilder(glob.Length);
        foreach (var c in glob)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
