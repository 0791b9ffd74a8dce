namespace OpenChat.SocketIO.EngineIO;

/// <summary>The life of an Engine.IO session; only <see cref="EngineSession"/> moves it on.</summary>
internal enum EngineSessionState
{
    /// <summary>Created and registered; the handshake answer is not sent yet.</summary>
    Opening,

    /// <summary>The handshake is answered; packets flow over the current transport.</summary>
    Open,

    /// <summary>Open, and a WebSocket is being probed to replace the polling transport.</summary>
    Upgrading,

    /// <summary>A graceful close: the transport hands over what is queued, then the close packet.</summary>
    Closing,

    /// <summary>Over: the id is released and nothing more is sent or received.</summary>
    Closed,
}
