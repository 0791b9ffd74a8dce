using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>What runs on top of Engine.IO sessions: the Socket.IO layer, or a raw Engine.IO application.</summary>
public interface IEngineIOHandler
{
    /// <summary>A session completed its handshake. Runs before any of its messages are delivered.</summary>
    void OnOpen(EngineSession session);

    /// <summary>
    /// A message arrived. Messages of one session are delivered one at a time, in order; the transport reads
    /// no further until the returned task completes.
    /// </summary>
    ValueTask OnMessageAsync(EngineSession session, EnginePacket message);

    /// <summary>The session moved from polling to WebSocket. Nothing to do by default.</summary>
    void OnUpgraded(EngineSession session)
    {
    }

    /// <summary>The session closed, with a reference reason such as "transport close" or "ping timeout". Called once.</summary>
    void OnClose(EngineSession session, string reason);
}
