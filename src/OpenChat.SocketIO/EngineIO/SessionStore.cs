using System.Collections.Concurrent;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>The live sessions of one endpoint, by id.</summary>
internal sealed class SessionStore
{
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public IEnumerable<EngineSession> All => _sessions.Values;

    public bool TryAdd(EngineSession session) => _sessions.TryAdd(session.Id, session);

    public bool TryGet(string id, out EngineSession session) => _sessions.TryGetValue(id, out session!);

    public void Remove(EngineSession session) => _sessions.TryRemove(new KeyValuePair<string, EngineSession>(session.Id, session));
}
