using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// Room membership and broadcast for one namespace. The in-memory adapter serves one process; a
/// multi-node adapter (Redis, say) implements the same contract and forwards broadcasts to its peers.
/// </summary>
public interface ISocketIOAdapter
{
    /// <summary>Adds a socket to rooms.</summary>
    void AddAll(string socketId, IEnumerable<string> rooms);

    /// <summary>Removes a socket from one room.</summary>
    void Delete(string socketId, string room);

    /// <summary>Removes a socket from every room.</summary>
    void DeleteAll(string socketId);

    /// <summary>The rooms a socket is in.</summary>
    IReadOnlySet<string> SocketRooms(string socketId);

    /// <summary>The ids of the sockets a broadcast with these options would reach.</summary>
    IReadOnlyCollection<string> Sockets(BroadcastOptions options);

    /// <summary>How many rooms exist (each socket's own room included).</summary>
    int RoomCount { get; }

    /// <summary>Sends one already-encoded packet to every socket the options select.</summary>
    void Broadcast(EncodedPacket packet, BroadcastOptions options);
}
