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
public sealed partial class SocketIOServer
{
    private readonly ConcurrentDictionary<string, SocketIONamespace> _namespaces = new(StringComparer.Ordinal);

    /// <summary>Creates the server; normally resolved from DI.</summary>
    public SocketIOServer(IOptions<SocketIOOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        Options = options.Value;
        Time = time;
        Logger = loggerFactory.CreateLogger("OpenChat.SocketIO");
        var json = new JsonSerializerOptions(Options.JsonSerializerOptions);
        json.Converters.Add(new BinaryPlaceholder.ByteArrayConverter());
        json.Converters.Add(new BinaryPlaceholder.MemoryConverter());
        json.MakeReadOnly(populateMissingResolver: true);
        JsonOptions = json;
        Engine = new EngineRequestHandler(Options, new SocketIOEngineHandler(this), time, loggerFactory.CreateLogger("OpenChat.SocketIO.EngineIO"), sessionsStartPending: true);
        MainNamespace = Of("/");
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

    internal JsonSerializerOptions JsonOptions { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    internal EngineRequestHandler Engine { get; }

    /// <summary>Returns the namespace with this name, creating it on first use.</summary>
    public SocketIONamespace Of(string name)
    {
        var normalized = name.StartsWith('/') ? name : "/" + name;
        return _namespaces.GetOrAdd(normalized, static (n, server) => new SocketIONamespace(server, n), this);
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

    /// <summary>Sends an event to every socket of the main namespace.</summary>
    public void Emit(string eventName, params object?[] args) => MainNamespace.Emit(eventName, args);

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

    internal bool TryGetNamespace(string name, out SocketIONamespace ns) => _namespaces.TryGetValue(name, out ns!);

    private static partial class Log
    {
        [LoggerMessage(55, LogLevel.Warning, "Stopping: {Count} event handlers were still running after the close timeout; closing the connections anyway.", EventName = "HandlersStillRunning")]
        public static partial void HandlersStillRunning(ILogger logger, int count);
    }
}
