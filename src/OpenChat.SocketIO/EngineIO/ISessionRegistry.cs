namespace OpenChat.SocketIO.EngineIO;

/// <summary>Where a session keeps its id while it lives: told when it closes but still holds its id, and when it lets go.</summary>
internal interface ISessionRegistry
{
    /// <summary>
    /// The session is closed but keeps its id a little longer (a polling client closed it while its last poll
    /// may still be on the way); it no longer counts as open.
    /// </summary>
    void OnHeldAfterClose(EngineSession session);

    /// <summary>The session let go of its id; it is called once.</summary>
    void OnReleased(EngineSession session);
}
