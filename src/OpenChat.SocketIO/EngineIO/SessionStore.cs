using System.Collections.Concurrent;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>The sessions of one endpoint, by id, and how many of them are still open.</summary>
internal sealed class SessionStore : ISessionRegistry
{
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);

    /// <summary>Sessions that hold an id and are not closed yet (closing ones still flush, so they count).</summary>
    public int Count => Math.Max(0, _sessions.Count - _held.Count);

    public IEnumerable<EngineSession> All => _sessions.Values;

    public bool TryAdd(EngineSession session) => _sessions.TryAdd(session.Id, session);

    public bool TryGet(string id, out EngineSession session) => _sessions.TryGetValue(id, out session!);

    public void OnHeldAfterClose(EngineSession session) => _held.TryAdd(session.Id, 0);

    public void OnReleased(EngineSession session)
    {
        _sessions.TryRemove(new KeyValuePair<string, EngineSession>(session.Id, session));
        _held.TryRemove(session.Id, out _);
    }
}
