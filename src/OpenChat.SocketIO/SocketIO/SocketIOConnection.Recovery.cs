using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Adapters;

namespace OpenChat.SocketIO;

// Connection state recovery: a CONNECT that names a session to recover, and the sessions kept on disconnect.
internal sealed partial class SocketIOConnection
{
    /// <summary>
    /// The session a CONNECT asks to recover (<c>auth.pid</c> and <c>auth.offset</c>, both strings, as Node
    /// requires), or null for a new session.
    /// </summary>
    private async ValueTask<RestoredSession?> RestoreAsync(SocketIONamespace ns, Handshake handshake)
    {
        if (_server.Options.Recovery is null || handshake.GetAuthString("pid") is not { } pid || handshake.GetAuthString("offset") is not { } offset)
        {
            return null;
        }

        var session = await TryRestoreAsync(ns, pid, offset);
        if (session is null && ns.TryGetSocketByPrivateId(pid, out var live) && live.Connected && live.Engine != Engine)
        {
            // Its client is back on a new connection while the old one still looks alive here (a network that
            // vanished without closing it, a poll that never ended): only that client knows the pid, so the old
            // connection is dead to it. It ends now, keeping its session, which is then resumed. Node's server would
            // start a new session instead and leave the old socket until its ping timeout.
            Log.ConnectionReplaced(_server.Logger, Engine.Id, live.Engine.Id, live.Id);
            live.Engine.Close(DisconnectReasons.TransportClose, graceful: false);
            session = await TryRestoreAsync(ns, pid, offset);
        }

        if (session is null)
        {
            Log.NotRecovered(_server.Logger, Engine.Id, ns.Name);
            return null;
        }

        // The socket it was may still be running its disconnect handlers; it leaves its rooms at their end, and
        // must have left them before the same id joins them again.
        if (ns.TryGetSocket(session.Id, out var previous))
        {
            try
            {
                await previous.Gone.WaitAsync(_server.Options.ConnectTimeout, _server.Time);
            }
            catch (TimeoutException)
            {
                Log.PreviousSocketStuck(_server.Logger, Engine.Id, session.Id);
                return null;
            }
        }

        Log.Recovered(_server.Logger, Engine.Id, session.Id, ns.Name, session.MissedPackets.Count);
        return session;
    }

    private async ValueTask<RestoredSession?> TryRestoreAsync(SocketIONamespace ns, string pid, string offset)
    {
        try
        {
            return await ns.Adapter.RestoreSessionAsync(pid, offset);
        }
        catch (Exception ex)
        {
            Log.RestoreFailed(_server.Logger, ex, Engine.Id, ns.Name);
            return null;
        }
    }

    private void Persist(SocketIONamespace ns, PersistedSession session)
    {
        try
        {
            ns.Adapter.PersistSession(session);
        }
        catch (Exception ex)
        {
            Log.PersistFailed(_server.Logger, ex, Engine.Id, session.Id, ns.Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(120, LogLevel.Debug, "Connection {Sid}: socket {SocketId} recovered on {Namespace}, with {Missed} missed packets.", EventName = "SocketRecovered")]
        public static partial void Recovered(ILogger logger, string sid, string socketId, string @namespace, int missed);

        [LoggerMessage(121, LogLevel.Debug, "Connection {Sid} asked to recover a session on {Namespace} that is unknown, expired, or missed packets no longer kept; it gets a new session.", EventName = "SessionNotRecovered")]
        public static partial void NotRecovered(ILogger logger, string sid, string @namespace);

        [LoggerMessage(122, LogLevel.Warning, "Connection {Sid}: the adapter of {Namespace} failed to restore a session; the client gets a new one.", EventName = "SessionRestoreFailed")]
        public static partial void RestoreFailed(ILogger logger, Exception exception, string sid, string @namespace);

        [LoggerMessage(123, LogLevel.Warning, "Connection {Sid}: the adapter of {Namespace} failed to keep the session of socket {SocketId}; it cannot be recovered.", EventName = "SessionPersistFailed")]
        public static partial void PersistFailed(ILogger logger, Exception exception, string sid, string socketId, string @namespace);

        [LoggerMessage(124, LogLevel.Warning, "Connection {Sid}: socket {SocketId} was not recovered: its previous connection's disconnect handlers did not finish within the connect timeout.", EventName = "PreviousSocketStuck")]
        public static partial void PreviousSocketStuck(ILogger logger, string sid, string socketId);

        [LoggerMessage(125, LogLevel.Debug, "Connection {Sid}: socket {SocketId} on {Namespace} could not be resumed (a packet it missed was dropped meanwhile); closing the connection so the client starts over.", EventName = "SessionResumeFailed")]
        public static partial void ResumeFailed(ILogger logger, string sid, string socketId, string @namespace);

        [LoggerMessage(126, LogLevel.Debug, "Connection {Sid} recovers socket {SocketId}, whose connection {Previous} still looked alive; closing that one.", EventName = "ConnectionReplaced")]
        public static partial void ConnectionReplaced(ILogger logger, string sid, string previous, string socketId);
    }
}
