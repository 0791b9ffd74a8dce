using System.Collections;

namespace OpenChat.SocketIO;

/// <summary>
/// Log scope around a socket's handlers: every line logged while one runs (the library's and the handler's
/// own) names the socket, its namespace and the event, as SignalR's hub method scope does.
/// </summary>
internal sealed class SocketLogScope(string socketId, string @namespace, string @event) : IReadOnlyList<KeyValuePair<string, object>>
{
    public int Count => 3;

    public KeyValuePair<string, object> this[int index] => index switch
    {
        0 => new("SocketId", socketId),
        1 => new("Namespace", @namespace),
        2 => new("Event", @event),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"SocketId:{socketId} Namespace:{@namespace} Event:{@event}";
}
