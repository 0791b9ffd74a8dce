using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.EngineIO;

internal sealed partial class EngineRequestHandler
{
    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Debug, "Session {Sid} opened over {Transport}.", EventName = "SessionOpened")]
        public static partial void SessionOpened(ILogger logger, string sid, string transport);

        [LoggerMessage(11, LogLevel.Debug, "Request refused with code {Code} ({Message}): {Method} {Query}.", EventName = "RequestRejected")]
        public static partial void RequestRejected(ILogger logger, int code, string message, string method, string? query);

        [LoggerMessage(13, LogLevel.Debug, "Session {Sid} opened a second WebSocket; it was closed.", EventName = "DuplicateUpgrade")]
        public static partial void DuplicateUpgrade(ILogger logger, string sid);

        [LoggerMessage(14, LogLevel.Information, "Handshake from {Address} refused: too many handshakes from this address.", EventName = "HandshakeRateLimited")]
        public static partial void HandshakeRateLimited(ILogger logger, string? address);
    }
}
