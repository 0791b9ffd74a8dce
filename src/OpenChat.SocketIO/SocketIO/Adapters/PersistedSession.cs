using System.Collections.Concurrent;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// What a socket that lost its connection leaves for its client to come back to (Node's <c>SessionToPersist</c>):
/// its id, its private session id (the <c>pid</c> only that client was told), its rooms, its own room included,
/// and its <see cref="SocketIOSocket.Data"/> (the same dictionary, not a copy).
/// </summary>
public sealed record PersistedSession(string Id, string PrivateId, IReadOnlyCollection<string> Rooms, ConcurrentDictionary<string, object?> Data);
