using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// One namespace's memory for connection state recovery, as Node's <c>SessionAwareAdapter</c> keeps it: the
/// broadcast packets sent lately, each with its <see cref="PacketOffset"/>, and the sessions of sockets that lost
/// their connection. Bounded: <see cref="ConnectionStateRecoveryOptions.MaxRetainedPackets"/> and
/// <see cref="ConnectionStateRecoveryOptions.MaxRetainedBytes"/> packets (the oldest go first),
/// <see cref="ConnectionStateRecoveryOptions.MaxSessions"/> sessions (the longest disconnected go first), and
/// nothing older than <see cref="ConnectionStateRecoveryOptions.MaxDisconnectionDuration"/> (a sweep on the
/// server's clock, every minute at most, drops it).
/// </summary>
/// <remarks>
/// Every logged broadcast is delivered under <see cref="_packetsLock"/>, and so is a resumed socket's catch-up:
/// each client then receives logged packets in offset order, and a socket that resumes gets, at once, everything
/// after its offset and then every later packet live. A gap or a repeat would need a packet sent out of that order.
/// </remarks>
internal sealed class RecoveryLog : IDisposable
{
    private readonly ConnectionStateRecoveryOptions _options;
    private readonly int _initialCapacity;
    private readonly TimeProvider _time;
    private readonly Lock _packetsLock = new();
    private readonly Lock _sessionsLock = new();
    private readonly Dictionary<string, KeptSession> _sessions = new(StringComparer.Ordinal);
    private readonly Queue<KeptSession> _sessionOrder = new();
    private readonly ITimer _sweep;
    private LoggedPacket[] _ring;
    private int _head;
    private int _count;
    private long _bytes;
    private long _lastMillis = long.MinValue;
    private int _nextSeed;
    private PacketOffset? _newestDropped;

    public RecoveryLog(ConnectionStateRecoveryOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _initialCapacity = Math.Min(64, options.MaxRetainedPackets);
        _ring = new LoggedPacket[_initialCapacity];
        var every = options.MaxDisconnectionDuration < TimeSpan.FromMinutes(1) ? options.MaxDisconnectionDuration : TimeSpan.FromMinutes(1);
        _sweep = time.CreateTimer(static s => ((RecoveryLog)s!).Sweep(), this, every, every);
    }

    /// <summary>Packets kept now.</summary>
    public int PacketCount
    {
        get
        {
            lock (_packetsLock)
            {
                return _count;
            }
        }
    }

    /// <summary>Bytes those packets hold.</summary>
    public long PacketBytes
    {
        get
        {
            lock (_packetsLock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Sessions waiting for their client.</summary>
    public int SessionCount
    {
        get
        {
            lock (_sessionsLock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Whether Node would keep this broadcast: an event, without acknowledgement, not volatile.</summary>
    public static bool Keeps(EncodedPacket packet, BroadcastOptions options) =>
        packet.Type == SocketPacketType.Event && packet.AckId is null && !options.Flags.Volatile;

    /// <summary>
    /// Gives the packet its offset, keeps it, and hands it to <paramref name="deliver"/> while no other logged
    /// packet can be delivered, so every recipient receives logged packets in offset order.
    /// </summary>
    public void Broadcast<TState>(EncodedPacket packet, BroadcastOptions options, TState state, Action<EncodedPacket, BroadcastOptions, TState> deliver) =>
        Broadcast(packet, options, (state, deliver), static (p, o, s) =>
        {
            s.deliver(p, o, s.state);
            return true;
        });

    /// <summary>As the other overload, returning what <paramref name="deliver"/> returns (the recipients to flush after the lock).</summary>
    public TResult Broadcast<TState, TResult>(EncodedPacket packet, BroadcastOptions options, TState state, Func<EncodedPacket, BroadcastOptions, TState, TResult> deliver)
    {
        lock (_packetsLock)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var offset = NextOffset(now);
            var withOffset = packet.WithOffset(offset.ToString());
            Append(new LoggedPacket(offset, withOffset, options, now, withOffset.Length));
            return deliver(withOffset, options, state);
        }
    }

    /// <summary>Keeps a session (replacing an older one with the same private id).</summary>
    public void Persist(PersistedSession session)
    {
        var kept = new KeptSession(session, _time.GetUtcNow().ToUnixTimeMilliseconds());
        lock (_sessionsLock)
        {
            _sessions[session.PrivateId] = kept;
            _sessionOrder.Enqueue(kept);
            while (_sessions.Count > _options.MaxSessions && _sessionOrder.TryDequeue(out var oldest))
            {
                Forget(oldest);
            }

            // Entries of sessions taken or replaced since stay in the queue until they reach its front; keep them few.
            if (_sessionOrder.Count > (2 * _sessions.Count) + 64)
            {
                Compact();
            }
        }
    }

    /// <summary>
    /// Takes the session of <paramref name="privateId"/> if it has not expired and every packet it missed since
    /// <paramref name="offset"/> is still kept; null otherwise (a session that can never be recovered is dropped).
    /// A session is taken once.
    /// </summary>
    public RestoredSession? Restore(string privateId, string offset)
    {
        KeptSession? kept;
        lock (_sessionsLock)
        {
            if (!_sessions.TryGetValue(privateId, out kept))
            {
                return null;
            }

            if (HasExpired(kept))
            {
                _sessions.Remove(privateId);
                return null;
            }
        }

        List<EncodedPacket>? missed = null;
        if (PacketOffset.TryParse(offset, out var from))
        {
            lock (_packetsLock)
            {
                missed = PacketsAfter(from, kept.Session.Rooms);
            }
        }

        lock (_sessionsLock)
        {
            // Taken (or replaced) meanwhile by another connection with the same private id: that one has it.
            if (!_sessions.TryGetValue(privateId, out var current) || current != kept)
            {
                return null;
            }

            _sessions.Remove(privateId);
        }

        var session = kept.Session;
        return missed is null ? null : new RestoredSession(session.Id, session.PrivateId, session.Rooms, session.Data, offset, missed);
    }

    /// <summary>
    /// Sends a restored socket what it missed since its offset, up to this moment, and lets <paramref name="rejoin"/>
    /// put it back in its rooms before any later packet is delivered; false when a packet it missed has been
    /// dropped since it was restored.
    /// </summary>
    public bool Resume(SocketIOSocket socket, RestoredSession session, Action rejoin)
    {
        if (!PacketOffset.TryParse(session.Offset, out var from))
        {
            return false;
        }

        lock (_packetsLock)
        {
            if (PacketsAfter(from, session.Rooms) is not { } missed)
            {
                return false;
            }

            foreach (var packet in missed)
            {
                socket.Send(packet);
            }

            rejoin();
            return true;
        }
    }

    public void Dispose() => _sweep.Dispose();

    /// <summary>Whether Node would replay a packet to a socket in these rooms.</summary>
    private static bool IsFor(IReadOnlyCollection<string> rooms, BroadcastOptions options)
    {
        var included = options.Rooms.Count == 0 || rooms.Any(options.Rooms.Contains);
        return included && !rooms.Any(options.Except.Contains);
    }

    private PacketOffset NextOffset(long now)
    {
        // yeast: the first id of a millisecond is the time alone, later ones add a counter. A clock that steps back
        // keeps counting on the last millisecond, so offsets still increase.
        if (now > _lastMillis)
        {
            _lastMillis = now;
            _nextSeed = 0;
            return new PacketOffset(now, PacketOffset.NoSeed);
        }

        return new PacketOffset(_lastMillis, _nextSeed++);
    }

    private void Append(LoggedPacket packet)
    {
        if (_count == _ring.Length && _ring.Length < _options.MaxRetainedPackets)
        {
            var grown = new LoggedPacket[Math.Min(_ring.Length * 2, _options.MaxRetainedPackets)];
            for (var i = 0; i < _count; i++)
            {
                grown[i] = At(i);
            }

            _ring = grown;
            _head = 0;
        }

        if (_count >= _options.MaxRetainedPackets)
        {
            DropOldest();
        }

        _ring[(_head + _count) % _ring.Length] = packet;
        _count++;
        _bytes += packet.Length;
        while (_count > 0 && (_bytes > _options.MaxRetainedBytes || IsStale(At(0))))
        {
            DropOldest();
        }
    }

    private void DropOldest()
    {
        var oldest = At(0);
        _ring[_head] = default;
        _head = (_head + 1) % _ring.Length;
        _count--;
        _bytes -= oldest.Length;
        _newestDropped = oldest.Offset;
    }

    private LoggedPacket At(int index) => _ring[(_head + index) % _ring.Length];

    /// <summary>
    /// The packets after <paramref name="from"/> for a socket in <paramref name="rooms"/>; null when one of them
    /// may have been dropped (the offset is older than the last packet dropped) or the offset was never given.
    /// </summary>
    private List<EncodedPacket>? PacketsAfter(PacketOffset from, IReadOnlyCollection<string> rooms)
    {
        int start;
        var index = IndexOf(from);
        if (index >= 0)
        {
            start = index + 1;
        }
        else if (_newestDropped == from)
        {
            // The client saw the last packet dropped: everything after it is still here.
            start = 0;
        }
        else
        {
            return null;
        }

        var missed = new List<EncodedPacket>();
        for (var i = start; i < _count; i++)
        {
            var logged = At(i);
            if (IsFor(rooms, logged.Options))
            {
                missed.Add(logged.Packet);
            }
        }

        return missed;
    }

    private int IndexOf(PacketOffset offset)
    {
        var lo = 0;
        var hi = _count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var order = At(mid).Offset.CompareTo(offset);
            if (order == 0)
            {
                return mid;
            }

            if (order < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    private bool IsStale(LoggedPacket packet) =>
        packet.EmittedAt < _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.MaxDisconnectionDuration.TotalMilliseconds;

    private bool HasExpired(KeptSession session) =>
        session.DisconnectedAt + (long)_options.MaxDisconnectionDuration.TotalMilliseconds < _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void Forget(KeptSession session)
    {
        if (_sessions.TryGetValue(session.Session.PrivateId, out var current) && current == session)
        {
            _sessions.Remove(session.Session.PrivateId);
        }
    }

    private void Compact()
    {
        var live = _sessionOrder.Where(s => _sessions.TryGetValue(s.Session.PrivateId, out var current) && current == s).ToArray();
        _sessionOrder.Clear();
        foreach (var session in live)
        {
            _sessionOrder.Enqueue(session);
        }
    }

    private void Sweep()
    {
        lock (_sessionsLock)
        {
            while (_sessionOrder.TryPeek(out var oldest) && (HasExpired(oldest) || !_sessions.TryGetValue(oldest.Session.PrivateId, out var current) || current != oldest))
            {
                _sessionOrder.Dequeue();
                Forget(oldest);
            }
        }

        lock (_packetsLock)
        {
            while (_count > 0 && IsStale(At(0)))
            {
                DropOldest();
            }

            if (_count == 0 && _ring.Length > _initialCapacity)
            {
                // A burst grew the ring; a quiet namespace gives the memory back.
                _ring = new LoggedPacket[_initialCapacity];
                _head = 0;
            }
        }
    }

    private readonly record struct LoggedPacket(PacketOffset Offset, EncodedPacket Packet, BroadcastOptions Options, long EmittedAt, int Length);

    private sealed record KeptSession(PersistedSession Session, long DisconnectedAt);
}
