using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.EngineIO;

public sealed partial class EngineIOServer
{
    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Debug, "Session {Sid} opened over {Transport}.", EventName = "SessionOpened")]
        public static partial void SessionOpened(ILogger logger, string sid, string transport);

        [LoggerMessage(11, LogLevel.Debug, "Request refused with code {Code} ({Message}): {Method} {Query}.", EventName = "RequestRejected")]
        public static partial void RequestRejected(ILogger logger, int code, string message, string method, string? query);

        [LoggerMessage(13, LogLevel.Debug, "Session {Sid} opened a second WebSocket; it was closed.", EventName = "DuplicateUpgrade")]
        public static partial void DuplicateUpgrade(ILogger logger, string sid);

        [LoggerMessage(14, LogLevel.Warning, "Handshakes refused with 429: too many from one address (latest {Address}); {Refused} refused since the last such warning, which repeats at most every {Interval} s. See HandshakesPerMinutePerIp.", EventName = "HandshakeRateLimited")]
        public static partial void HandshakeRateLimited(ILogger logger, string? address, long refused, double interval);

        [LoggerMessage(15, LogLevel.Warning, "Handshakes refused: too many pending sessions for {Whom} (at most {Limit}); {Refused} refused since the last such warning, which repeats at most every {Interval} s. See MaxPendingSessions and MaxPendingSessionsPerIp.", EventName = "TooManyPendingSessions")]
        public static partial void TooManyPending(ILogger logger, string whom, int limit, long refused, double interval);

        [LoggerMessage(16, LogLevel.Warning, "Handshakes refused with 431: more than {Limit} characters of headers and query (latest from {Address}); {Refused} refused since the last such warning, which repeats at most every {Interval} s. See MaxHandshakeBytes.", EventName = "HandshakeTooLarge")]
        public static partial void HandshakeTooLarge(ILogger logger, string? address, int limit, long refused, double interval);

        [LoggerMessage(17, LogLevel.Error, "A listener of the Engine.IO {Event} event threw; the request goes on.", EventName = "EngineListenerFailed")]
        public static partial void ListenerFailed(ILogger logger, Exception exception, string @event);

        [LoggerMessage(20, LogLevel.Information, "A {Method} {Transport} request for session {Sid} came from another user than the one who opened it; refused as an unknown session.", EventName = "ForeignIdentity")]
        public static partial void ForeignIdentity(ILogger logger, string sid, string method, string transport);
    }
}
