using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// The Socket.IO server (<c>io</c>): namespaces, and shortcuts to the main namespace <c>/</c>.
/// Registered by <c>services.AddSocketIO()</c>, served by
/// <c>app.MapSocketIO()</c>.
/// </summary>
public sealed partial class SocketIOServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SocketIONamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly Lock _creating = new();
    private ParentNamespace[] _parents = [];
    private volatile ISocketObserver? _observer;

    /// <summary>Creates the server without application services (<see cref="EventContext.Services"/> is then unavailable).</summary>
    public SocketIOServer(IOptions<SocketIOOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
        : this(options, loggerFactory, time, null)
    {
    }

    /// <summary>Creates the server; normally resolved from DI (<c>services.AddSocketIO()</c>) as a singleton.</summary>
    public SocketIOServer(IOptions<SocketIOOptions> options, ILoggerFactory loggerFactory, TimeProvider time, IServiceProvider? services)
    {
        Services = services;
        ScopeFactory = services?.GetService(typeof(Microsoft.Extensions.DependencyInjection.IServiceScopeFactory)) as Microsoft.Extensions.DependencyInjection.IServiceScopeFactory;
        Options = options.Value;
        Time = time;
        Logger = loggerFactory.CreateLogger("OpenChat.SocketIO");
        var json = new JsonSerializerOptions(Options.JsonSerializerOptions);
        json.Converters.Add(new BinaryPlaceholder.ByteArrayConverter());
        json.Converters.Add(new BinaryPlaceholder.MemoryConverter());
        json.MakeReadOnly(populateMissingResolver: true);
        JsonOptions = json;
        // The meter comes with the application services (AddSocketIO registers it); without them nothing is counted.
        Metrics = services?.GetService(typeof(SocketIOMetrics)) as SocketIOMetrics;
        Metrics?.Track(this);
        Engine = new EngineIOServer(Options, new SocketIOEngineHandler(this), time, loggerFactory.CreateLogger("OpenChat.SocketIO.EngineIO"), sessionsStartPending: true, Metrics);
        MainNamespace = Of("/");
        if (Options.AdminUI.Enabled)
        {
            AdminUI = new AdminUI.AdminUIInstrumentation(this, Options.AdminUI);
            AdminUI.Start();
        }
    }

    /// <summary>The options in force.</summary>
    public SocketIOOptions Options { get; }

    /// <summary>How this server's packets travel (<see cref="SocketIOOptions.Parser"/>).</summary>
    public SocketIOParser Parser => Options.Parser;

    /// <summary>The main namespace, <c>/</c>.</summary>
    public SocketIONamespace MainNamespace { get; }

    /// <summary>Open Engine.IO connections (each may carry sockets of several namespaces).</summary>
    public int ConnectionCount => Engine.SessionCount;

    /// <summary>Connections that joined no namespace yet (bounded by <see cref="EngineIOOptions.MaxPendingSessions"/>).</summary>
    public int PendingConnectionCount => Engine.PendingSessionCount;

    /// <summary>
    /// Whether the server has begun to stop: new handshakes are refused, and handlers should refuse work
    /// whose result they would acknowledge (a chat message) since not every recipient may get it. Handlers
    /// already running when stopping began finish before any connection is closed.
    /// </summary>
    public bool IsStopping => Handlers.IsClosed;

    internal HandlerGate Handlers { get; } = new();

    /// <summary>
    /// How arguments are serialized and read: <see cref="SocketIOOptions.JsonSerializerOptions"/> plus the
    /// converters that turn <c>byte[]</c> into binary attachments. Adapters read received arguments with it.
    /// </summary>
    public JsonSerializerOptions JsonOptions { get; }

    /// <summary>Every namespace created so far.</summary>
    public IReadOnlyCollection<SocketIONamespace> Namespaces => [.. _namespaces.Values];

    internal TimeProvider Time { get; }

    internal SocketIOMetrics? Metrics { get; }

    /// <summary>The admin UI's server side, when <see cref="AdminUIOptions.Enabled"/>.</summary>
    internal AdminUI.AdminUIInstrumentation? AdminUI { get; }

    /// <summary>The observer of sockets (the admin UI), if any; set once it is ready to be called.</summary>
    internal ISocketObserver? Observer
    {
        get => _observer;
        set => _observer = value;
    }
    /// <summary>The application's services, when the server came from DI.</summary>
    internal IServiceProvider? Services { get; }

    /// <summary>Creates the scope of each event (<see cref="EventContext.Services"/>).</summary>
    internal Microsoft.Extensions.DependencyInjection.IServiceScopeFactory? ScopeFactory { get; }

    internal ILogger Logger { get; }

    /// <summary>
    /// The Engine.IO server underneath (Node's <c>io.engine</c>): its <see cref="EngineIOServer.ConnectionError"/>,
    /// <see cref="EngineIOServer.InitialHeaders"/> and <see cref="EngineIOServer.Headers"/> events.
    /// </summary>
    public EngineIOServer Engine { get; }

    /// <summary>
    /// A namespace was created: by <see cref="Of(string)"/>, or as the child of a <see cref="ParentNamespace"/>
    /// when a client first asked for it (Node's <c>new_namespace</c>). Raised before any client joins it.
    /// </summary>
    public event Action<SocketIONamespace>? NamespaceCreated;

    /// <summary>Returns the namespace with this name, creating it on first use.</summary>
    public SocketIONamespace Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = name.StartsWith('/') ? name : "/" + name;
        return _namespaces.TryGetValue(normalized, out var existing) ? existing : Create(normalized, null);
    }

    /// <summary>
    /// Dynamic namespaces whose names match <paramref name="pattern"/> (Node's <c>io.of(/^\/team-\d+$/)</c>;
    /// the name includes its leading <c>/</c>): each is created when a client first asks for it, with the
    /// parent's middleware and handlers.
    /// </summary>
    public ParentNamespace Of(System.Text.RegularExpressions.Regex pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return AddParent((name, _) => ValueTask.FromResult(pattern.IsMatch(name)));
    }

    /// <summary>
    /// Dynamic namespaces accepted by <paramref name="accepts"/>, which sees the name and the connecting
    /// client's handshake (its auth, headers, query) and may await (a lookup): Node's <c>io.of((name, auth, next) => ...)</c>.
    /// An exception it throws counts as a refusal.
    /// </summary>
    public ParentNamespace Of(Func<string, Handshake, ValueTask<bool>> accepts)
    {
        ArgumentNullException.ThrowIfNull(accepts);
        return AddParent(accepts);
    }

    /// <summary>Dynamic namespaces accepted by a synchronous test of the name and the handshake.</summary>
    public ParentNamespace Of(Func<string, Handshake, bool> accepts)
    {
        ArgumentNullException.ThrowIfNull(accepts);
        return AddParent((name, handshake) => ValueTask.FromResult(accepts(name, handshake)));
    }

    /// <summary>Registers a <c>"connection"</c> handler on the main namespace.</summary>
    public void On(string eventName, Func<SocketIOSocket, ValueTask> handler) => MainNamespace.On(eventName, handler);

    /// <summary>Registers a synchronous <c>"connection"</c> handler on the main namespace.</summary>
    public void On(string eventName, Action<SocketIOSocket> handler) => MainNamespace.On(eventName, handler);

    /// <summary>Handles the main namespace's sockets with a handler class (see <see cref="SocketIONamespace.MapHub{THub}"/>).</summary>
    public void MapHub<THub>()
        where THub : SocketIOHub => MainNamespace.MapHub<THub>();

    /// <summary>Adds middleware to the main namespace.</summary>
    public void Use(Func<SocketIOSocket, ValueTask> middleware) => MainNamespace.Use(middleware);

    /// <summary>Targets a room of the main namespace.</summary>
    public BroadcastOperator To(string room) => MainNamespace.To(room);

    /// <summary>Same as <see cref="To"/>.</summary>
    public BroadcastOperator In(string room) => MainNamespace.In(room);

    /// <summary>Targets everyone in the main namespace except a room's members.</summary>
    public BroadcastOperator Except(string room) => MainNamespace.Except(room);

    /// <summary>Broadcasts of the main namespace that reach this server's sockets only.</summary>
    public BroadcastOperator Local => MainNamespace.Local;

    /// <summary>Sets the timeout of a following <see cref="BroadcastOperator.EmitWithAckAsync(string, object?[])"/> on the main namespace.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => MainNamespace.Timeout(timeout);

    /// <summary>Sends an event to every socket of the main namespace, on every server.</summary>
    public void Emit(string eventName, params object?[] args) => MainNamespace.Emit(eventName, args);

    /// <summary>Sends an event to every socket of the main namespace and waits for each acknowledgement.</summary>
    public Task<IReadOnlyList<EventArguments>> EmitWithAckAsync(string eventName, params object?[] args) => MainNamespace.EmitWithAckAsync(eventName, args);

    /// <summary>Sends an event to every socket of the main namespace and waits for each acknowledgement, until <paramref name="cancellationToken"/> is cancelled at most.</summary>
    public Task<IReadOnlyList<EventArguments>> EmitWithAckAsync(string eventName, CancellationToken cancellationToken, params object?[] args) =>
        MainNamespace.EmitWithAckAsync(eventName, cancellationToken, args);

    /// <summary>Describes every socket of the main namespace, on every server.</summary>
    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(CancellationToken cancellationToken = default) => MainNamespace.FetchSocketsAsync(cancellationToken);

    /// <summary>Makes every socket of the main namespace, on every server, join rooms.</summary>
    public void SocketsJoin(params string[] rooms) => MainNamespace.SocketsJoin(rooms);

    /// <summary>Makes every socket of the main namespace, on every server, leave rooms.</summary>
    public void SocketsLeave(params string[] rooms) => MainNamespace.SocketsLeave(rooms);

    /// <summary>Disconnects every socket of the main namespace, on every server.</summary>
    public void DisconnectSockets(bool close = false) => MainNamespace.DisconnectSockets(close);

    /// <summary>Sends an event to the other servers of the cluster, on the main namespace.</summary>
    public void ServerSideEmit(string eventName, params object?[] args) => MainNamespace.ServerSideEmit(eventName, args);

    /// <summary>Sends an event to the other servers and waits for their answers, on the main namespace.</summary>
    public Task<IReadOnlyList<JsonElement>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        MainNamespace.ServerSideEmitWithAckAsync(eventName, args, timeout, cancellationToken);

    /// <summary>Handles an event other servers send with <see cref="ServerSideEmit"/> on the main namespace.</summary>
    public void OnServerSideEmit(string eventName, Func<ServerSideEvent, ValueTask> handler) => MainNamespace.OnServerSideEmit(eventName, handler);

    /// <summary>Handles an event other servers send on the main namespace, synchronously.</summary>
    public void OnServerSideEmit(string eventName, Action<ServerSideEvent> handler) => MainNamespace.OnServerSideEmit(eventName, handler);


    /// <summary>
    /// Stops: refuses new handshakes, sets <see cref="IsStopping"/>, waits (up to the close timeout) for the
    /// event handlers already running, then closes every connection ("server shutting down"), each flushing
    /// what is queued for it and a close packet within the close timeout. So whatever a handler broadcast
    /// before stopping began reaches every connected client that takes it in time.
    /// </summary>
    public async Task CloseAsync()
    {
        Engine.BeginStopping();
        var running = Handlers.CloseAsync();
        if (!running.IsCompleted)
        {
            try
            {
                await running.WaitAsync(Options.CloseTimeout, Time);
            }
            catch (TimeoutException)
            {
                Log.HandlersStillRunning(Logger, Handlers.Running);
            }
        }

        await Engine.CloseAllAsync(DisconnectReasons.ServerShuttingDown);
    }

    /// <summary>Closes every namespace's adapter (a cluster adapter tells the other servers it is leaving).</summary>
    public async ValueTask DisposeAsync()
    {
        AdminUI?.Dispose();
        foreach (var ns in _namespaces.Values)
        {
            try
            {
                await ns.Adapter.DisposeAsync();
            }
            catch (Exception ex)
            {
                LogAdapterCloseFailed(Logger, ex, ns.Name);
            }
        }
    }

    internal bool TryGetNamespace(string name, out SocketIONamespace ns) => _namespaces.TryGetValue(name, out ns!);

    /// <summary>
    /// The namespace a CONNECT asks for: an existing one, or a new child of the first parent that accepts the
    /// name; null when none does ("Invalid namespace"). The caller holds an admission on it
    /// (<see cref="SocketIONamespace.EndAdmission"/>), so an emptied child is not removed under it.
    /// </summary>
    internal async ValueTask<SocketIONamespace?> ResolveNamespaceAsync(string name, Handshake handshake)
    {
        lock (_creating)
        {
            if (_namespaces.TryGetValue(name, out var existing))
            {
                existing.BeginAdmission();
                return existing;
            }
        }

        foreach (var parent in Volatile.Read(ref _parents))
        {
            if (await parent.AcceptsAsync(name, handshake))
            {
                SocketIONamespace child;
                lock (_creating)
                {
                    // Another client may have created it meanwhile.
                    child = _namespaces.TryGetValue(name, out var created) ? created : Create(name, parent);
                    child.BeginAdmission();
                }

                return child;
            }
        }

        return null;
    }

    /// <summary>Removes an emptied child namespace (<see cref="SocketIOOptions.CleanupEmptyChildNamespaces"/>) unless a client is joining it.</summary>
    internal void RemoveIfEmpty(SocketIONamespace child)
    {
        lock (_creating)
        {
            if (!child.IsIdle || !_namespaces.TryRemove(new KeyValuePair<string, SocketIONamespace>(child.Name, child)))
            {
                return;
            }
        }

        child.Parent?.Release(child);
        _ = CloseAdapterAsync(child);
    }

    private SocketIONamespace Create(string name, ParentNamespace? parent)
    {
        SocketIONamespace ns;
        lock (_creating)
        {
            if (_namespaces.TryGetValue(name, out var existing))
            {
                return existing;
            }

            ns = new SocketIONamespace(this, name);
            parent?.Adopt(ns);
            _namespaces[name] = ns;
        }

        if (NamespaceCreated is { } created)
        {
            try
            {
                created(ns);
            }
            catch (Exception ex)
            {
                LogListenerFailed(Logger, ex, ns.Name);
            }
        }

        return ns;
    }

    private ParentNamespace AddParent(Func<string, Handshake, ValueTask<bool>> accepts)
    {
        var parent = new ParentNamespace(this, accepts);
        lock (_creating)
        {
            _parents = [.. _parents, parent];
        }

        return parent;
    }

    private async Task CloseAdapterAsync(SocketIONamespace ns)
    {
        try
        {
            await ns.Adapter.DisposeAsync();
        }
        catch (Exception ex)
        {
            LogAdapterCloseFailed(Logger, ex, ns.Name);
        }
    }

    [LoggerMessage(95, LogLevel.Warning, "The adapter of namespace {Namespace} failed to close.", EventName = "AdapterCloseFailed")]
    private static partial void LogAdapterCloseFailed(ILogger logger, Exception exception, string @namespace);

    [LoggerMessage(97, LogLevel.Error, "A NamespaceCreated listener threw for {Namespace}.", EventName = "NamespaceListenerFailed")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, string @namespace);

    private static partial class Log
    {
        [LoggerMessage(55, LogLevel.Warning, "Stopping: {Count} event handlers were still running after the close timeout; closing the connections anyway.", EventName = "HandlersStillRunning")]
        public static partial void HandlersStillRunning(ILogger logger, int count);
    }
}
