using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Says once per client address, at Information, why its protocol version was refused: a page that loads
/// an old client retries forever, and one line is what its operator needs. The set of addresses is bounded;
/// when it fills up it starts over, so an address may be told again after thousands of others.
/// </summary>
internal sealed partial class RefusedProtocolLog(ILogger logger, int capacity = 4096)
{
    private readonly ConcurrentDictionary<string, byte> _told = new(StringComparer.Ordinal);

    public void Refused(IPAddress? address, string version, bool allowEio3)
    {
        var key = address?.ToString() ?? "unknown";
        if (_told.Count >= capacity)
        {
            _told.Clear();
        }

        if (!_told.TryAdd(key, 0))
        {
            return;
        }

        var reason = version switch
        {
            "3" when !allowEio3 => "Engine.IO 3 is what Socket.IO 2.x clients speak; it is off (turn on AllowEIO3, e.g. SocketIO:AllowEIO3=true, to serve them)",
            "" => "the request names no protocol version (EIO)",
            _ => allowEio3 ? "only Engine.IO 4 and 3 are served" : "only Engine.IO 4 is served (and 3 with AllowEIO3)",
        };
        Log.ProtocolRefused(logger, key, version.Length > 0 ? version : "none", reason);
    }

    private static partial class Log
    {
        [LoggerMessage(15, LogLevel.Information, "Client {Address} asked for Engine.IO protocol {Version}, refused: {Reason}. Its later refusals are not logged.", EventName = "ProtocolRefused")]
        public static partial void ProtocolRefused(ILogger logger, string address, string version, string reason);
    }
}
