using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// Selects recipients for a broadcast, on every server of the cluster. Immutable, as in the reference server:
/// <c>To</c>, <c>Except</c>, <c>Local</c> and <c>Timeout</c> return new operators, so one can be kept and
/// reused. The packet is encoded once and the same bytes go to every local recipient.
/// </summary>
public sealed class BroadcastOperator
{
    private readonly SocketIONamespace _namespace;
    private readonly RoomSet _rooms;
    private readonly RoomSet _except;
    private readonly BroadcastFlags _flags;

    internal BroadcastOperator(SocketIONamespace ns, RoomSet rooms, RoomSet except, BroadcastFlags flags)
    {
        _namespace = ns;
        _rooms = rooms;
        _except = except;
        _flags = flags;
    }

    internal BroadcastOperator(SocketIONamespace ns)
        : this(ns, RoomSet.Empty, RoomSet.Empty, BroadcastFlags.None)
    {
    }

    /// <summary>The same selection on this server only: nothing goes to the other servers.</summary>
    public BroadcastOperator Local => new(_namespace, _rooms, _except, _flags with { Local = true });

    /// <summary>The same selection; the packet may be dropped for clients that are not ready.</summary>
    public BroadcastOperator Volatile => new(_namespace, _rooms, _except, _flags with { Volatile = true });

    /// <summary>What this operator selects, as adapters take it.</summary>
    public BroadcastOptions Options => new(_rooms, _except, _flags);

    /// <summary>Adds a room to target; targets are the union of the rooms given.</summary>
    public BroadcastOperator To(string room) => new(_namespace, _rooms.Add(room), _except, _flags);

    /// <summary>Adds rooms to target.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => new(_namespace, _rooms.Union(rooms), _except, _flags);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Leaves out the members of a room (a socket id leaves out that socket).</summary>
    public BroadcastOperator Except(string room) => new(_namespace, _rooms, _except.Add(room), _flags);

    /// <summary>Leaves out the members of several rooms.</summary>
    public BroadcastOperator Except(IEnumerable<string> rooms) => new(_namespace, _rooms, _except.Union(rooms), _flags);

    /// <summary>Sets how long <see cref="EmitWithAckAsync(string, object?[])"/> waits for acknowledgements.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), "The timeout must be positive.");
        }

        return new(_namespace, _rooms, _except, _flags with { Timeout = timeout });
    }

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

    /// <summary>
    /// Sends an event to every selected socket, on every server, and waits for every client's acknowledgement
    /// (Node's <c>io.timeout(t).emitWithAck()</c>): each server reports how many clients it reached, and the
    /// task completes when that many answers have come. Each answer holds the client's first argument. Throws
    /// <see cref="BroadcastAckTimeoutException"/>, with the answers so far, after the timeout
    /// (<see cref="Timeout"/>, default <see cref="SocketIOOptions.AckTimeout"/>).
    /// </summary>
    public Task<IReadOnlyList<EventArguments>> EmitWithAckAsync(string eventName, params object?[] args) =>
        EmitWithAckAsync(eventName, CancellationToken.None, args);

    /// <summary>
    /// As <see cref="EmitWithAckAsync(string, object?[])"/>, and stops waiting when
    /// <paramref name="cancellationToken"/> is cancelled (the task is then cancelled; later answers are ignored).
    /// </summary>
    public async Task<IReadOnlyList<EventArguments>> EmitWithAckAsync(string eventName, CancellationToken cancellationToken, params object?[] args)
    {
        SocketIOSocket.EnsureNotReserved(eventName);
        cancellationToken.ThrowIfCancellationRequested();
        var options = Options;
        var timeout = _flags.Timeout ?? _namespace.Server.Options.AckTimeout;
        options = options with { Flags = _flags with { Timeout = timeout } };
        var aggregate = new AckAggregate(_namespace.Server.Time, timeout);
        using var cancellation = cancellationToken.UnsafeRegister(static (s, token) => ((AckAggregate)s!).Cancel(token), aggregate);
        var packet = PacketFactory.Event(_namespace.Name, null, eventName, args, _namespace.Server.JsonOptions);
        _namespace.Adapter.BroadcastWithAck(packet, options, aggregate.AddClients, aggregate.AddResponse);
        var servers = options.Flags.Local ? 1 : await _namespace.Adapter.ServerCountAsync(cancellationToken);
        aggregate.SetServerCount(servers);
        return await aggregate.Completion;
    }

    /// <summary>The ids of this server's selected sockets.</summary>
    public IReadOnlyCollection<string> SocketIds() => _namespace.Adapter.Sockets(Options);

    /// <summary>Describes the selected sockets of every server (Node's <c>fetchSockets()</c>).</summary>
    public async Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(CancellationToken cancellationToken = default)
    {
        var found = await _namespace.Adapter.FetchSocketsAsync(Options, cancellationToken);
        return found.Select(data => new RemoteSocket(_namespace, data)).ToList();
    }

    /// <summary>Makes every selected socket, on every server, join rooms.</summary>
    public void SocketsJoin(params string[] rooms) => _namespace.Adapter.AddSockets(Options, RoomSet.From(rooms));

    /// <summary>Makes every selected socket, on every server, leave rooms.</summary>
    public void SocketsLeave(params string[] rooms) => _namespace.Adapter.DelSockets(Options, RoomSet.From(rooms));

    /// <summary>Disconnects every selected socket, on every server, from the namespace (with <paramref name="close"/>, their connections).</summary>
    public void DisconnectSockets(bool close = false) => _namespace.Adapter.DisconnectSockets(Options, close);
}
