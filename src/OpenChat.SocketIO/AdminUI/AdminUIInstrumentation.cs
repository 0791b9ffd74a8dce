using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenChat.SocketIO.AdminUI;

/// <summary>
/// What Node's <c>instrument(io, options)</c> of <c>@socket.io/admin-ui</c> 0.5.x does, on the admin namespace:
/// the login, <c>config</c> and <c>all_sockets</c> for each UI that connects, <c>server_stats</c> every
/// <see cref="AdminUIOptions.StatsInterval"/>, and (in development mode) every socket's life, room changes
/// and events as they happen. Unless read-only, the UI's actions (<c>emit</c>, <c>join</c>, <c>leave</c>,
/// <c>_disconnect</c>) act on the sockets of any namespace, on every server of the cluster.
/// </summary>
internal sealed partial class AdminUIInstrumentation : ISocketObserver, IDisposable
{
    private readonly SocketIOServer _server;
    private readonly AdminUIOptions _options;
    private readonly AdminAuthentication _auth;
    // Dynamic namespaces come and go: a weak table does not keep a removed one alive.
    private readonly ConditionalWeakTable<SocketIONamespace, object> _watched = new();
    private readonly string[] _features;
    private readonly DateTimeOffset _processStart;
    private SocketIONamespace _admin = null!;
    private AdminEventBuffer? _events;
    private ITimer? _statsTimer;

    public AdminUIInstrumentation(SocketIOServer server, AdminUIOptions options)
    {
        _server = server;
        _options = options;
        _auth = new AdminAuthentication(options);
        _features = Features(options);
        _processStart = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime(), TimeSpan.Zero);
    }

    public string ServerId => _options.ServerId ?? Environment.MachineName;

    private bool IsDevelopment => _options.Mode == AdminUIMode.Development;

    /// <summary>Creates the admin namespace and starts reporting.</summary>
    public void Start()
    {
        _events = new AdminEventBuffer(_server.Metrics, _server.Time);
        if (IsDevelopment)
        {
            // Subscribed before the namespaces are walked, so one created meanwhile is watched either way.
            _server.Observer = this;
            _server.NamespaceCreated += OnNamespace;
        }

        _admin = _server.Of(_options.Namespace);
        _admin.Use(_auth.AuthenticateAsync);
        _admin.On("connection", OnAdminConnectedAsync);
        if (IsDevelopment)
        {
            foreach (var ns in _server.Namespaces)
            {
                OnNamespace(ns);
            }
        }

        _statsTimer = _server.Time.CreateTimer(static s => ((AdminUIInstrumentation)s!).EmitStats(), this, TimeSpan.Zero, _options.StatsInterval);
    }

    public void Dispose()
    {
        _statsTimer?.Dispose();
        _events?.Dispose();
        _server.NamespaceCreated -= OnNamespace;
        if (ReferenceEquals(_server.Observer, this))
        {
            _server.Observer = null;
        }
    }

    private void OnNamespace(SocketIONamespace ns)
    {
        if (!_watched.TryAdd(ns, ns))
        {
            return;
        }

        ns.Adapter.RoomJoined += (room, id) => EmitToAdmin("room_joined", ns.Name, room, id, Now());
        ns.Adapter.RoomLeft += (room, id) => EmitToAdmin("room_left", ns.Name, room, id, Now());
    }

    public void OnConnected(SocketIOSocket socket)
    {
        if (HasAudience)
        {
            EmitToAdmin("socket_connected", AdminSocketSerializer.Serialize(socket, _server.JsonOptions), Now());
        }
    }

    public void OnUpgraded(SocketIOSocket socket)
    {
        if (HasAudience)
        {
            EmitToAdmin("socket_updated", new JsonObject { ["id"] = socket.Id, ["nsp"] = socket.Namespace.Name, ["transport"] = socket.Transport });
        }
    }

    public void OnDisconnected(SocketIOSocket socket, string reason) => EmitToAdmin("socket_disconnected", socket.Namespace.Name, socket.Id, reason, Now());

    public void OnEventReceived(SocketIOSocket socket, string eventName, EventArguments args)
    {
        if (HasAudience && socket.Namespace != _admin)
        {
            EmitToAdmin("event_received", socket.Namespace.Name, socket.Id, WithName(eventName, args), Now());
        }
    }

    public bool WatchesEvents => HasAudience;

    public void OnEventSent(SocketIOSocket socket, string eventName, EventArguments args)
    {
        if (HasAudience && socket.Namespace != _admin)
        {
            EmitToAdmin("event_sent", socket.Namespace.Name, socket.Id, WithName(eventName, args), Now());
        }
    }

    /// <summary>The statistics each UI shows on its dashboard and server list.</summary>
    internal JsonObject Stats()
    {
        var namespaces = new JsonArray();
        foreach (var ns in _server.Namespaces)
        {
            namespaces.Add(new JsonObject { ["name"] = ns.Name, ["socketsCount"] = ns.SocketCount });
        }

        return new JsonObject
        {
            ["serverId"] = ServerId,
            ["hostname"] = Environment.MachineName,
            ["pid"] = Environment.ProcessId,
            ["uptime"] = (_server.Time.GetUtcNow() - _processStart).TotalSeconds,
            ["clientsCount"] = _server.ConnectionCount,
            ["pollingClientsCount"] = _server.Engine.Sessions.Count(static s => s.Transport == "polling"),
            ["aggregatedEvents"] = _events?.TakeAll() ?? [],
            ["namespaces"] = namespaces,
        };
    }

    // Nobody watching: the UI's events are not even built.
    private bool HasAudience => _admin is { SocketCount: > 0 };

    private static string[] Features(AdminUIOptions options)
    {
        var features = new List<string>();
        if (!options.ReadOnly)
        {
            features.AddRange(["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT"]);
        }

        features.Add("AGGREGATED_EVENTS");
        if (options.Mode == AdminUIMode.Development)
        {
            features.Add("ALL_EVENTS");
        }

        return [.. features];
    }

    // Node's onAny and onAnyOutgoing see the event name first, then its arguments.
    private static object?[] WithName(string eventName, EventArguments args)
    {
        var all = new object?[args.Count + 1];
        all[0] = eventName;
        for (var i = 0; i < args.Count; i++)
        {
            all[i + 1] = args[i];
        }

        return all;
    }

    private string Now() => AdminSocketSerializer.Timestamp(_server.Time.GetUtcNow());

    private void EmitToAdmin(string eventName, params object?[] args)
    {
        if (HasAudience)
        {
            _admin.Emit(eventName, args);
        }
    }

    private void EmitStats()
    {
        try
        {
            var stats = Stats();
            if (HasAudience)
            {
                _admin.Emit("server_stats", stats);
            }
        }
        catch (Exception ex)
        {
            Log.StatsFailed(_server.Logger, ex);
        }
    }

    private async ValueTask OnAdminConnectedAsync(SocketIOSocket socket)
    {
        if (_auth.TakeIssuedSession(socket) is { } session)
        {
            socket.Emit("session", session);
        }

        if (!_options.ReadOnly)
        {
            RegisterActions(socket);
        }

        socket.Emit("config", new JsonObject { ["supportedFeatures"] = new JsonArray([.. _features.Select(static f => (JsonNode?)f)]) });
        if (IsDevelopment)
        {
            socket.Emit("all_sockets", await FetchAllSocketsAsync());
        }
    }

    private async Task<JsonArray> FetchAllSocketsAsync()
    {
        var all = new JsonArray();
        foreach (var ns in _server.Namespaces)
        {
            IReadOnlyList<RemoteSocket> sockets;
            try
            {
                sockets = await ns.FetchSocketsAsync().WaitAsync(TimeSpan.FromSeconds(5), _server.Time);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                // The other servers did not all answer: show at least this one's.
                Log.FetchFailed(_server.Logger, ns.Name, ex);
                sockets = [];
                foreach (var local in ns.Sockets)
                {
                    all.Add(AdminSocketSerializer.Serialize(local, _server.JsonOptions));
                }
            }

            foreach (var remote in sockets)
            {
                all.Add(ns.TryGetSocket(remote.Id, out var local)
                    ? AdminSocketSerializer.Serialize(local, _server.JsonOptions)
                    : AdminSocketSerializer.Serialize(remote, ns.Name));
            }
        }

        return all;
    }
}
