using System.Collections.Immutable;
using OpenChat.SocketIO.Adapters;

namespace OpenChat.SocketIO;

/// <summary>
/// Selects recipients for a broadcast. Immutable, as in the reference server: <c>To</c> and
/// <c>Except</c> return new operators, so one can be kept and reused. The packet is encoded once
/// and the same bytes go to every recipient.
/// </summary>
public sealed class BroadcastOperator
{
    private readonly SocketIONamespace _namespace;
    private readonly ImmutableHashSet<string> _rooms;
    private readonly ImmutableHashSet<string> _except;

    internal BroadcastOperator(SocketIONamespace ns, ImmutableHashSet<string> rooms, ImmutableHashSet<string> except)
    {
        _namespace = ns;
        _rooms = rooms;
        _except = except;
    }

    internal BroadcastOperator(SocketIONamespace ns)
        : this(ns, ImmutableHashSet.Create<string>(StringComparer.Ordinal), ImmutableHashSet.Create<string>(StringComparer.Ordinal))
    {
    }

    /// <summary>Adds a room to target; targets are the union of the rooms given.</summary>
    public BroadcastOperator To(string room) => new(_namespace, _rooms.Add(room), _except);

    /// <summary>Adds rooms to target.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => new(_namespace, _rooms.Union(rooms), _except);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Leaves out the members of a room (a socket id leaves out that socket).</summary>
    public BroadcastOperator Except(string room) => new(_namespace, _rooms, _except.Add(room));

    /// <summary>Leaves out the members of several rooms.</summary>
    public BroadcastOperator Except(IEnumerable<string> rooms) => new(_namespace, _rooms, _except.Union(rooms));

    /// <summary>Sends an event to every selected socket.</summary>
    public void Emit(string eventName, params object?[] args)
    {
        SocketIOSocket.EnsureNotReserved(eventName);
        var packet = PacketFactory.Event(_namespace.Name, null, eventName, args, _namespace.Server.JsonOptions);
        _namespace.Adapter.Broadcast(packet, Options);
    }

    /// <summary>Sends received arguments (attachments included) to every selected socket.</summary>
    public void Emit(string eventName, EventArguments args)
    {
        SocketIOSocket.EnsureNotReserved(eventName);
        _namespace.Adapter.Broadcast(PacketFactory.Event(_namespace.Name, null, eventName, args), Options);
    }

    /// <summary>The ids of the sockets currently selected.</summary>
    public IReadOnlyCollection<string> SocketIds() => _namespace.Adapter.Sockets(Options);

    /// <summary>Makes every selected socket join a room.</summary>
    public void SocketsJoin(string room)
    {
        foreach (var id in SocketIds())
        {
            _namespace.Adapter.AddAll(id, [room]);
        }
    }

    /// <summary>Disconnects every selected socket from the namespace.</summary>
    public void DisconnectSockets(bool close = false)
    {
        foreach (var id in SocketIds())
        {
            if (_namespace.TryGetSocket(id, out var socket))
            {
                socket.Disconnect(close);
            }
        }
    }

    private BroadcastOptions Options => new(_rooms, _except);
}
