using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// One server's rooms in two maps (room → sockets, socket → rooms) under one lock, as the reference
/// server's in-memory adapter keeps them. A broadcast picks its recipients under the lock and hands them
/// the same encoded packet outside it. It is the default adapter and the local half of every cluster adapter.
/// </summary>
/// <remarks>
/// With <see cref="SocketIOOptions.ConnectionStateRecovery"/> on it is also Node's <c>SessionAwareAdapter</c>:
/// it keeps the recent broadcasts with their offsets and the sessions of disconnected sockets (bounded, see
/// <see cref="ConnectionStateRecoveryOptions"/>), and restores them. A cluster adapter built on it keeps both per
/// server: a client recovers its session when it comes back to the same server (sticky sessions), and gets a new
/// one on any other.
/// </remarks>
public class InMemoryAdapter : SocketIOAdapter
{
    private static readonly IReadOnlySet<string> NoRooms = new HashSet<string>();

    private readonly Lock _sync = new();
    private readonly Dictionary<string, CompactStringSet> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CompactStringSet> _socketRooms = new(StringComparer.Ordinal);
    private readonly RecoveryLog? _recovery;

    /// <summary>Creates the adapter of a namespace.</summary>
    public InMemoryAdapter(SocketIONamespace ns)
        : base(ns)
    {
        if (ns.Server.Options.Recovery is { } recovery)
        {
            _recovery = new RecoveryLog(recovery, ns.Server.Time);
        }
    }

    /// <summary>What connection state recovery keeps now (null when it is off).</summary>
    internal RecoveryLog? Recovery => _recovery;

    /// <inheritdoc />
    public override IReadOnlyCollection<string> Rooms
    {
        get
        {
            lock (_sync)
            {
                return [.. _rooms.Keys];
            }
        }
    }

    /// <inheritdoc />
    public override int RoomCount
    {
        get
        {
            lock (_sync)
            {
                return _rooms.Count;
            }
        }
    }

    /// <summary>Whether a room has members on this server.</summary>
    public bool HasRoom(string room)
    {
        lock (_sync)
        {
            return _rooms.ContainsKey(room);
        }
    }

    /// <inheritdoc />
    public override void AddAll(string socketId, IEnumerable<string> rooms)
    {
        List<string>? created = null;
        List<string>? joined = null;
        lock (_sync)
        {
            if (!_socketRooms.TryGetValue(socketId, out var memberOf))
            {
                _socketRooms[socketId] = memberOf = new CompactStringSet();
            }

            foreach (var room in rooms)
            {
                if (!memberOf.Add(room))
                {
                    continue;
                }

                if (!_rooms.TryGetValue(room, out var members))
                {
                    _rooms[room] = members = new CompactStringSet();
                    (created ??= new()).Add(room);
                }

                members.Add(socketId);
                (joined ??= new()).Add(room);
            }
        }

        foreach (var room in joined ?? [])
        {
            if (created?.Contains(room) == true)
            {
                OnRoomCreated(room);
            }

            OnRoomJoined(room, socketId);
        }
    }

    /// <inheritdoc />
    public override void Delete(string socketId, string room)
    {
        bool left, deleted;
        lock (_sync)
        {
            if (_socketRooms.TryGetValue(socketId, out var memberOf))
            {
                memberOf.Remove(room);
            }

            (left, deleted) = RemoveMemberLocked(room, socketId);
        }

        RaiseLeft(room, socketId, left, deleted);
    }

    /// <inheritdoc />
    public override void DeleteAll(string socketId)
    {
        List<(string Room, bool Deleted)> changes = new();
        lock (_sync)
        {
            if (!_socketRooms.Remove(socketId, out var memberOf))
            {
                return;
            }

            foreach (var room in memberOf)
            {
                var (left, deleted) = RemoveMemberLocked(room, socketId);
                if (left)
                {
                    changes.Add((room, deleted));
                }
            }
        }

        foreach (var (room, deleted) in changes)
        {
            RaiseLeft(room, socketId, left: true, deleted);
        }
    }

    /// <inheritdoc />
    public override IReadOnlySet<string> SocketRooms(string socketId)
    {
        lock (_sync)
        {
            return _socketRooms.TryGetValue(socketId, out var memberOf) ? new HashSet<string>(memberOf, StringComparer.Ordinal) : NoRooms;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyCollection<string> Sockets(BroadcastOptions options)
    {
        lock (_sync)
        {
            return SelectLocked(options);
        }
    }

    /// <inheritdoc />
    public override void Broadcast(EncodedPacket packet, BroadcastOptions options)
    {
        // Queued to every recipient first (under the recovery log's lock, which orders the offsets), then each
        // recipient's writer is woken, outside that lock.
        var recipients = _recovery is not null && RecoveryLog.Keeps(packet, options)
            ? _recovery.Broadcast(packet, options, this, static (withOffset, o, self) => self.Enqueue(withOffset, o))
            : Enqueue(packet, options);
        foreach (var socket in recipients)
        {
            socket.Flush();
        }
    }

    /// <inheritdoc />
    public override void PersistSession(PersistedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _recovery?.Persist(session);
    }

    /// <inheritdoc />
    public override Task<RestoredSession?> RestoreSessionAsync(string privateId, string offset, CancellationToken cancellationToken = default) =>
        Task.FromResult(_recovery?.Restore(privateId, offset));

    /// <inheritdoc />
    public override bool ResumeSession(SocketIOSocket socket, RestoredSession session)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(session);
        if (_recovery is null)
        {
            return base.ResumeSession(socket, session);
        }

        return _recovery.Resume(socket, session, () => AddAll(socket.Id, [socket.Id, .. session.Rooms]));
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        _recovery?.Dispose();
        return base.DisposeAsync();
    }

    /// <inheritdoc />
    public override void BroadcastWithAck(EncodedPacket packet, BroadcastOptions options, Action<int> onClientCount, Action<EventArguments> onAck)
    {
        ArgumentNullException.ThrowIfNull(onClientCount);
        ArgumentNullException.ThrowIfNull(onAck);

        // One id for every recipient, from the namespace's counter, so it collides with none of theirs.
        var withId = packet.WithAckId(Namespace.NextAckId());
        var timeout = options.Flags.Timeout ?? Namespace.Server.Options.AckTimeout;
        var count = 0;
        foreach (var socket in SelectSockets(options))
        {
            if (socket.SendWithAck(withId, timeout, onAck))
            {
                count++;
            }
        }

        Namespace.Server.Metrics?.Broadcast(count);
        onClientCount(count);
    }

    /// <inheritdoc />
    public override Task<IReadOnlyList<RemoteSocketData>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default) =>
        Task.FromResult(FetchLocalSockets(options));

    /// <inheritdoc />
    public override void AddSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var socket in SelectSockets(options))
        {
            socket.Join(rooms);
        }
    }

    /// <inheritdoc />
    public override void DelSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var socket in SelectSockets(options))
        {
            socket.Leave(rooms);
        }
    }

    /// <inheritdoc />
    public override void DisconnectSockets(BroadcastOptions options, bool close)
    {
        foreach (var socket in SelectSockets(options))
        {
            socket.Disconnect(close);
        }
    }

    private List<SocketIOSocket> Enqueue(EncodedPacket packet, BroadcastOptions options)
    {
        var sockets = SelectSockets(options);
        foreach (var socket in sockets)
        {
            socket.Enqueue(packet);
        }

        Namespace.Server.Metrics?.Broadcast(sockets.Count);
        return sockets;
    }

    /// <summary>Describes this server's selected sockets.</summary>
    protected IReadOnlyList<RemoteSocketData> FetchLocalSockets(BroadcastOptions options) =>
        SelectSockets(options).Select(RemoteSocketData.FromSocket).ToList();

    /// <summary>This server's connected sockets that the options select, each once.</summary>
    protected List<SocketIOSocket> SelectSockets(BroadcastOptions options)
    {
        List<string> ids;
        lock (_sync)
        {
            ids = SelectLocked(options);
        }

        var sockets = new List<SocketIOSocket>(ids.Count);
        foreach (var id in ids)
        {
            if (Namespace.TryGetSocket(id, out var socket))
            {
                sockets.Add(socket);
            }
        }

        return sockets;
    }

    private List<string> SelectLocked(BroadcastOptions options)
    {
        HashSet<string>? excluded = null;
        foreach (var room in options.Except)
        {
            if (_rooms.TryGetValue(room, out var members))
            {
                (excluded ??= new HashSet<string>(StringComparer.Ordinal)).UnionWith(members);
            }
        }

        var targets = new List<string>();
        if (options.Rooms.Count == 0)
        {
            foreach (var id in _socketRooms.Keys)
            {
                if (excluded?.Contains(id) != true)
                {
                    targets.Add(id);
                }
            }

            return targets;
        }

        HashSet<string>? seen = options.Rooms.Count > 1 ? new(StringComparer.Ordinal) : null;
        foreach (var room in options.Rooms)
        {
            if (!_rooms.TryGetValue(room, out var members))
            {
                continue;
            }

            foreach (var id in members)
            {
                if (excluded?.Contains(id) != true && (seen is null || seen.Add(id)))
                {
                    targets.Add(id);
                }
            }
        }

        return targets;
    }

    private (bool Left, bool Deleted) RemoveMemberLocked(string room, string socketId)
    {
        if (!_rooms.TryGetValue(room, out var members) || !members.Remove(socketId))
        {
            return (false, false);
        }

        if (members.Count == 0)
        {
            _rooms.Remove(room);
            return (true, true);
        }

        return (true, false);
    }

    private void RaiseLeft(string room, string socketId, bool left, bool deleted)
    {
        if (left)
        {
            OnRoomLeft(room, socketId);
        }

        if (deleted)
        {
            OnRoomDeleted(room);
        }
    }
}
