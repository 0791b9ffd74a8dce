using System.Collections;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>Log scope carrying the session id, so every line logged while serving a session names it.</summary>
internal sealed class SessionLogScope(string sessionId) : IReadOnlyList<KeyValuePair<string, object>>
{
    public int Count => 1;

    public KeyValuePair<string, object> this[int index] =>
        index == 0 ? new("SessionId", sessionId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"SessionId:{sessionId}";
}
