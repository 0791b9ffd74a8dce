using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.EngineIO;

internal sealed partial class OriginPolicy
{
    private static partial class Log
    {
        // Information, not Debug: a refused origin is how a misconfigured proxy or setting first shows itself.
        [LoggerMessage(12, LogLevel.Information, "Request from origin {Origin} refused ({Rule}): {Reason} Fix: {Fix}", EventName = "OriginRejected")]
        public static partial void OriginRejected(ILogger logger, string origin, string rule, string reason, string fix);
    }
}
