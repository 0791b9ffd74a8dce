using System.Collections.Concurrent;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// A session found again for a returning client (Node's <c>Session</c>): the socket's id, private id, rooms and
/// data as they were, the <see cref="Offset"/> the client said it saw last, and the broadcast packets meant for
/// it since then, in the order they were sent (offsets included).
/// </summary>
public sealed record RestoredSession(
    string Id,
    string PrivateId,
    IReadOnlyCollection<string> Rooms,
    ConcurrentDictionary<string, object?> Data,
    string Offset,
    IReadOnlyList<EncodedPacket> MissedPackets);
