using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// Rooms in two maps (room → sockets, socket → rooms) under one lock. A broadcast picks its recipients
/// under the lock and hands them the same encoded packet outside it.
/// </summary>
public sealed class InMemoryAdapter : ISocketIOAdapter
{
    private static readonly IReadOnlySet<string> NoRooms = new HashSet<string>();

    private readonly SocketIONamespace _namespace;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, HashSet<string>> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _socketRooms = new(StringComparer.Ordinal);

    /// <summary>Creates the adapter of a namespace.</summary>
    public InMemoryAdapter(SocketIONamespace ns) => _namespace = ns;

    /// <inheritdoc />
    public int RoomCount
    {
        get
        {
            lock (_sync)
            {
                return _rooms.Count;
            }
        }
    }

    /// <inheritdoc />
    public void AddAll(string socketId, IEnumerable<string> rooms)
    {
        lock (_sync)
        {
            if (!_socketRooms.TryGetValue(socketId, out var joined))
            {
                _socketRooms[socketId] = joined = new HashSet<string>(StringComparer.Ordinal);
            }

            foreach (var room in rooms)
            {
                if (!joined.Add(room))
                {
                    continue;
                }

                if (!_rooms.TryGetValue(room, out var members))
                {
                    _rooms[room] = members = new HashSet<string>(StringComparer.Ordinal);
                }

                members.Add(socketId);
            }
        }
    }

    /// <inheritdoc />
    public void Delete(string socketId, string room)
    {
        lock (_sync)
        {
            if (_socketRooms.TryGetValue(socketId, out var joined))
            {
                joined.Remove(room);
            }

            RemoveMember(room, socketId);
        }
    }

    /// <inheritdoc />
    public void DeleteAll(string socketId)
    {
        lock (_sync)
        {
            if (!_socketRooms.Remove(socketId, out var joined))
            {
                return;
            }

            foreach (var room in joined)
            {
                RemoveMember(room, socketId);
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlySet<string> SocketRooms(string socketId)
    {
        lock (_sync)
        {
            return _socketRooms.TryGetValue(socketId, out var joined) ? new HashSet<string>(joined, StringComparer.Ordinal) : NoRooms;
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Sockets(BroadcastOptions options)
    {
        lock (_sync)
        {
            return SelectLocked(options);
        }
    }

    /// <inheritdoc />
    public void Broadcast(EncodedPacket packet, BroadcastOptions options)
    {
        List<string> targets;
        lock (_sync)
        {
            targets = SelectLocked(options);
        }

        foreach (var id in targets)
        {
            if (_namespace.TryGetSocket(id, out var socket))
            {
                socket.Send(packet);
            }
        }
    }

    private List<string> SelectLocked(BroadcastOptions options)
    {
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var room in options.Except)
        {
            if (_rooms.TryGetValue(room, out var members))
            {
                excluded.UnionWith(members);
            }
        }

        var targets = new List<string>();
        if (options.Rooms.Count == 0)
        {
            foreach (var id in _socketRooms.Keys)
            {
                if (!excluded.Contains(id))
                {
                    targets.Add(id);
                }
            }

            return targets;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var room in options.Rooms)
        {
            if (!_rooms.TryGetValue(room, out var members))
            {
                continue;
            }

            foreach (var id in members)
            {
                if (!excluded.Contains(id) && seen.Add(id))
                {
                    targets.Add(id);
                }
            }
        }

        return targets;
    }

    private void RemoveMember(string room, string socketId)
    {
        if (_rooms.TryGetValue(room, out var members) && members.Remove(socketId) && members.Count == 0)
        {
            _rooms.Remove(room);
        }
    }
}
