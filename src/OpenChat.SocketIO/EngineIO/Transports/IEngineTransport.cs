namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// What a session may ask of a transport. A transport does its own wire work (reading requests or frames,
/// writing the session's queue) and only reports what happened to <see cref="EngineSession"/>: a packet
/// arrived, frames were written, the last frame went out after a close (drained), it failed, the client
/// closed it. The session decides what follows.
/// </summary>
internal interface IEngineTransport
{
    /// <summary>"polling" or "websocket", as in the <c>transport</c> query parameter.</summary>
    string Name { get; }

    /// <summary>Answers a request that waits for data now, with what is queued or a noop. WebSocket has none.</summary>
    void Release();

    /// <summary>Stops at once: waits are cancelled and the connection is let go (a WebSocket still answers a close frame it received).</summary>
    void Abort();
}
