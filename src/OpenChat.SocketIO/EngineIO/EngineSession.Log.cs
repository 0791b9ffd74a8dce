using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.EngineIO;

public sealed partial class EngineSession
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Session {Sid} closed: {Reason}.", EventName = "SessionClosed")]
        public static partial void SessionClosed(ILogger logger, string sid, string reason);

        [LoggerMessage(2, LogLevel.Debug, "Session {Sid} did not answer a ping in time.", EventName = "PingTimedOut")]
        public static partial void PingTimedOut(ILogger logger, string sid);

        [LoggerMessage(3, LogLevel.Information, "Session {Sid} is not reading fast enough ({QueuedBytes} bytes queued); disconnecting it.", EventName = "OutgoingQueueFull")]
        public static partial void OutgoingQueueFull(ILogger logger, string sid, long queuedBytes);

        [LoggerMessage(4, LogLevel.Debug, "Session {Sid} broke the protocol: {Violation}.", EventName = "ProtocolViolation")]
        public static partial void ProtocolViolation(ILogger logger, string sid, string violation);

        [LoggerMessage(5, LogLevel.Debug, "Session {Sid} upgraded to websocket.", EventName = "Upgraded")]
        public static partial void Upgraded(ILogger logger, string sid);

        [LoggerMessage(6, LogLevel.Error, "The close handler of session {Sid} failed.", EventName = "HandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, string sid, Exception exception);

        [LoggerMessage(7, LogLevel.Debug, "Session {Sid} did not complete its upgrade in time.", EventName = "UpgradeTimedOut")]
        public static partial void UpgradeTimedOut(ILogger logger, string sid);

        [LoggerMessage(8, LogLevel.Debug, "Session {Sid} stays on polling: its upgrade was abandoned.", EventName = "UpgradeAbandoned")]
        public static partial void UpgradeAbandoned(ILogger logger, string sid);

        [LoggerMessage(9, LogLevel.Debug, "Session {Sid} did not take its last packets within the close timeout.", EventName = "CloseTimedOut")]
        public static partial void CloseTimedOut(ILogger logger, string sid);
    }
}
