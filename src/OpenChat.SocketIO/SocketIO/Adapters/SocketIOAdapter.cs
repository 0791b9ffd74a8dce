using System.Security.Cryptography;
using System.Text.Json;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// The adapter contract: room membership, broadcast and cluster operations of one namespace, modelled on
/// socket.io-adapter's <c>Adapter</c>. <see cref="InMemoryAdapter"/> serves one server; a cluster adapter
/// (see <see cref="ClusterAdapter"/>) adds the other servers of a fleet. Each namespace gets its own adapter
/// from <see cref="SocketIOOptions.AdapterFactory"/>.
/// </summary>
/// <remarks>
/// <para>
/// Membership members (<see cref="AddAll"/>, <see cref="Delete"/>, <see cref="DeleteAll"/>,
/// <see cref="SocketRooms"/>, <see cref="Sockets"/>, <see cref="Rooms"/>) concern this server's sockets only.
/// The operations that take <see cref="BroadcastOptions"/> (broadcast, fetch, join, leave, disconnect) reach
/// every server unless <see cref="BroadcastFlags.Local"/> is set.
/// </para>
/// <para>
/// New members are added as virtual members with a default, so implementations keep compiling. An
/// implementation raises the room events (<see cref="RoomCreated"/>, <see cref="RoomJoined"/>,
/// <see cref="RoomLeft"/>, <see cref="RoomDeleted"/>) as Node's adapter emits <c>create-room</c>,
/// <c>join-room</c>, <c>leave-room</c> and <c>delete-room</c>, outside its own locks.
/// </para>
/// </remarks>
public abstract class SocketIOAdapter : IAsyncDisposable
{
    private Task? _initialization;

    /// <summary>Creates the adapter of a namespace.</summary>
    protected SocketIOAdapter(SocketIONamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        Namespace = ns;
        ServerId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    }

    /// <summary>A room was created on this server (its first member joined).</summary>
    public event Action<string>? RoomCreated;

    /// <summary>A socket of this server joined a room: (room, socket id).</summary>
    public event Action<string, string>? RoomJoined;

    /// <summary>A socket of this server left a room: (room, socket id).</summary>
    public event Action<string, string>? RoomLeft;

    /// <summary>A room was deleted on this server (its last member left).</summary>
    public event Action<string>? RoomDeleted;

    /// <summary>Another server of the cluster became reachable: first heard of, or heard again after it was lost.</summary>
    public event Action<string>? ServerJoined;

    /// <summary>Another server of the cluster is no longer reachable (it closed, stopped sending heartbeats, or this server lost its link).</summary>
    public event Action<string>? ServerLeft;

    /// <summary>The namespace served.</summary>
    public SocketIONamespace Namespace { get; }

    /// <summary>This server's id in the cluster (random per adapter, as Node's <c>uid</c>).</summary>
    public virtual string ServerId { get; }

    /// <summary>Completes when <see cref="InitAsync"/> has (the namespace starts it when it is created).</summary>
    public Task Initialization => _initialization ?? Task.CompletedTask;

    /// <summary>The rooms of this server's sockets, each socket's own room included (a snapshot).</summary>
    public abstract IReadOnlyCollection<string> Rooms { get; }

    /// <summary>How many rooms this server's sockets are in (each socket's own room included).</summary>
    public virtual int RoomCount => Rooms.Count;

    /// <summary>Prepares the adapter (subscriptions, heartbeats). Called once, when the namespace is created.</summary>
    public virtual Task InitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops the adapter (Node's <c>close()</c>): unsubscribes and tells the other servers.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>How many servers the cluster has, this one included.</summary>
    public virtual Task<int> ServerCountAsync(CancellationToken cancellationToken = default) => Task.FromResult(1);

    /// <summary>Adds a socket of this server to rooms.</summary>
    public abstract void AddAll(string socketId, IEnumerable<string> rooms);

    /// <summary>Removes a socket of this server from one room.</summary>
    public abstract void Delete(string socketId, string room);

    /// <summary>Removes a socket of this server from every room.</summary>
    public abstract void DeleteAll(string socketId);

    /// <summary>The rooms a socket of this server is in (empty when unknown).</summary>
    public abstract IReadOnlySet<string> SocketRooms(string socketId);

    /// <summary>The ids of this server's sockets that the options select (Node's <c>sockets(rooms)</c>).</summary>
    public abstract IReadOnlyCollection<string> Sockets(BroadcastOptions options);

    /// <summary>Every room of every server (Node's Redis adapter <c>allRooms()</c>); by default this server's.</summary>
    public virtual Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(Rooms, StringComparer.Ordinal));

    /// <summary>
    /// Sends a packet to every selected socket. The packet is encoded once; every local recipient gets the
    /// same frames. A cluster adapter forwards <see cref="EncodedPacket.Type"/>, data and attachments to the
    /// other servers unless the flags say <see cref="BroadcastFlags.Local"/>.
    /// </summary>
    public abstract void Broadcast(EncodedPacket packet, BroadcastOptions options);

    /// <summary>
    /// Sends a packet that asks every recipient for an acknowledgement. Each server reports how many clients
    /// it sent it to through <paramref name="onClientCount"/> (once per server) and each client's answer through
    /// <paramref name="onAck"/> (its arguments; only the first crosses servers). Waiting ends after
    /// <see cref="BroadcastFlags.Timeout"/> (default <see cref="SocketIOOptions.AckTimeout"/>).
    /// </summary>
    public abstract void BroadcastWithAck(EncodedPacket packet, BroadcastOptions options, Action<int> onClientCount, Action<EventArguments> onAck);

    /// <summary>Describes the selected sockets of every server (of this one only with <see cref="BroadcastFlags.Local"/>).</summary>
    public abstract Task<IReadOnlyList<RemoteSocketData>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default);

    /// <summary>Makes the selected sockets of every server join rooms.</summary>
    public abstract void AddSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    /// <summary>Makes the selected sockets of every server leave rooms.</summary>
    public abstract void DelSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    /// <summary>Disconnects the selected sockets of every server; with <paramref name="close"/> their whole connections.</summary>
    public abstract void DisconnectSockets(BroadcastOptions options, bool close);

    /// <summary>
    /// Sends an event to the other servers of the cluster (not to this one): <paramref name="packet"/> is the
    /// JSON array <c>[eventName, ...args]</c>. They receive it through
    /// <see cref="SocketIONamespace.OnServerSideEmit(string, Func{ServerSideEvent, ValueTask})"/>. One server alone has
    /// nobody to tell, so the default does nothing.
    /// </summary>
    public virtual void ServerSideEmit(JsonElement packet)
    {
    }

    /// <summary>
    /// Like <see cref="ServerSideEmit"/>, and waits for one answer from each other server, at most
    /// <paramref name="timeout"/>. Throws <see cref="ServerSideEmitTimeoutException"/> (with the answers so far)
    /// when some are missing. The default, one server alone, answers at once with no answers.
    /// </summary>
    public virtual Task<IReadOnlyList<JsonElement>> ServerSideEmitWithAckAsync(JsonElement packet, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<JsonElement>>([]);

    /// <summary>
    /// Keeps the session of a socket that lost its connection, so that its client can come back to it (Node's
    /// <c>persistSession</c>). Called, with <see cref="SocketIOOptions.ConnectionStateRecovery"/> on, when a socket
    /// disconnects for a reason <see cref="DisconnectReasons.IsRecoverable"/> accepts, before it leaves its
    /// rooms. The default keeps nothing, as Node's base adapter: no session is ever recovered.
    /// </summary>
    public virtual void PersistSession(PersistedSession session)
    {
    }

    /// <summary>
    /// Finds the session of a returning client (Node's <c>restoreSession</c>): the one persisted with this
    /// private id, if it has not expired, with the broadcast packets meant for its rooms since
    /// <paramref name="offset"/>. Null when there is none, it expired, or a packet it missed is no longer kept;
    /// the client then starts a new session. A session is restored once: it is no longer kept afterwards. The
    /// default finds nothing.
    /// </summary>
    public virtual Task<RestoredSession?> RestoreSessionAsync(string privateId, string offset, CancellationToken cancellationToken = default) =>
        Task.FromResult<RestoredSession?>(null);

    /// <summary>
    /// Puts a restored socket back, just before its CONNECT reply: sends it <see cref="RestoredSession.MissedPackets"/>,
    /// then makes it join its rooms again. An adapter that delivers broadcasts while a session is being restored
    /// (middleware may run between <see cref="RestoreSessionAsync"/> and this) overrides it to send what was
    /// broadcast meanwhile too, in order, with no packet both missed and delivered live. Returns false when the
    /// session can no longer be resumed; the library then closes the connection and the client starts over.
    /// </summary>
    public virtual bool ResumeSession(SocketIOSocket socket, RestoredSession session)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(session);
        foreach (var packet in session.MissedPackets)
        {
            socket.Send(packet);
        }

        AddAll(socket.Id, [socket.Id, .. session.Rooms]);
        return true;
    }

    internal void Start() => _initialization ??= InitAsync(CancellationToken.None);

    /// <summary>Raises <see cref="RoomCreated"/>.</summary>
    protected void OnRoomCreated(string room) => RoomCreated?.Invoke(room);

    /// <summary>Raises <see cref="RoomJoined"/>.</summary>
    protected void OnRoomJoined(string room, string socketId) => RoomJoined?.Invoke(room, socketId);

    /// <summary>Raises <see cref="RoomLeft"/>.</summary>
    protected void OnRoomLeft(string room, string socketId) => RoomLeft?.Invoke(room, socketId);

    /// <summary>Raises <see cref="RoomDeleted"/>.</summary>
    protected void OnRoomDeleted(string room) => RoomDeleted?.Invoke(room);

    /// <summary>Raises <see cref="ServerJoined"/>.</summary>
    protected void OnServerJoined(string serverId) => ServerJoined?.Invoke(serverId);

    /// <summary>Raises <see cref="ServerLeft"/>.</summary>
    protected void OnServerLeft(string serverId) => ServerLeft?.Invoke(serverId);
}
