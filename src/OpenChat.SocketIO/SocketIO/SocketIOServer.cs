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
public sealed class SocketIOServer
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

    /// <summary>Closes every connection ("server shutting down"), flushing each within the close timeout.</summary>
    public Task CloseAsync() => Engine.CloseAllAsync(DisconnectReasons.ServerShuttingDown);

    internal bool TryGetNamespace(string name, out SocketIONamespace ns) => _namespaces.TryGetValue(name, out ns!);
}
