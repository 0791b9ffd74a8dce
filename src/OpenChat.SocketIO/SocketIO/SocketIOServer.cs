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

    private volatile ISocketObserver? _observer;

    /// <summary>Creates the server; normally resolved from DI.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Where the server logs.</param>
    /// <param name="time">The clock.</param>
    /// <param name="metrics">Where connections and traffic are counted (<c>AddSocketIO</c> registers one); none when null.</param>
    public SocketIOServer(IOptions<SocketIOOptions> options, ILoggerFactory loggerFactory, TimeProvider time, SocketIOMetrics? metrics = null)
    {
        Options = options.Value;
        Metrics = metrics;
        metrics?.Track(this);
        Time = time;
        Logger = loggerFactory.CreateLogger("OpenChat.SocketIO");
        var json = new JsonSerializerOptions(Options.JsonSerializerOptions);
        json.Converters.Add(new BinaryPlaceholder.ByteArrayConverter());
        json.Converters.Add(new BinaryPlaceholder.MemoryConverter());
        json.MakeReadOnly(populateMissingResolver: true);
        JsonOptions = json;
        Engine = new EngineRequestHandler(Options, new SocketIOEngineHandler(this), time, loggerFactory.CreateLogger("OpenChat.SocketIO.EngineIO"), sessionsStartPending: true, metrics);
        MainNamespace = Of("/");
        if (Options.AdminUI.Enabled)
        {
            AdminUI = new AdminUI.AdminUIInstrumentation(this, Options.AdminUI);
            AdminUI.Start();
        }
    }

    /// <summary>The options in force.</summary>
    public SocketIOOptions Options { get; }

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

    internal ILogger Logger { get; }

    internal EngineRequestHandler Engine { get; }

    /// <summary>Returns the namespace with this name, creating it on first use.</summary>
    public SocketIONamespace Of(string name)
    {
        var normalized = name.StartsWith('/') ? name : "/" + name;
        if (_namespaces.TryGetValue(normalized, out var existing))
        {
            return existing;
        }

        var ns = _namespaces.GetOrAdd(normalized, static (n, server) => new SocketIONamespace(server, n), this);
        _observer?.OnNamespace(ns);
        return ns;
    }

    /// <summary>Registers a <c>"connection"</c> handler on the main namespace.</summary>
    public void On(string eventName, Func<SocketIOSocket, ValueTask> handler) => MainNamespace.On(eventName, handler);

    /// <summary>Registers a synchronous <c>"connection"</c> handler on the main namespace.</summary>
    public void On(string eventName, Action<SocketIOSocket> handler) => MainNamespace.On(eventName, handler);

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

    /// <summary>Sets the timeout of a following <see cref="BroadcastOperator.EmitWithAckAsync"/> on the main namespace.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => MainNamespace.Timeout(timeout);

    /// <summary>Sends an event to every socket of the main namespace, on every server.</summary>
    public void Emit(string eventName, params object?[] args) => MainNamespace.Emit(eventName, args);

    /// <summary>Sends an event to every socket of the main namespace and waits for each acknowledgement.</summary>
    public Task<IReadOnlyList<EventArguments>> EmitWithAckAsync(string eventName, params object?[] args) => MainNamespace.EmitWithAckAsync(eventName, args);

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

    [LoggerMessage(95, LogLevel.Warning, "The adapter of namespace {Namespace} failed to close.", EventName = "AdapterCloseFailed")]
    private static partial void LogAdapterCloseFailed(ILogger logger, Exception exception, string @namespace);

    private static partial class Log
    {
        [LoggerMessage(55, LogLevel.Warning, "Stopping: {Count} event handlers were still running after the close timeout; closing the connections anyway.", EventName = "HandlersStillRunning")]
        public static partial void HandlersStillRunning(ILogger logger, int count);
    }
}
