using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO;

/// <summary>
/// Dynamic namespaces (Node's <c>io.of(/regex/)</c> and <c>io.of((name, auth, next) => ...)</c>): a client
/// that asks for a namespace no one created, and whose name this parent accepts, gets a child namespace of
/// that name, created on the spot with the parent's middleware and connection handlers. Parents are asked in
/// the order they were created; a child, once created, is an ordinary <see cref="SocketIONamespace"/>
/// (<c>io.Of("/team-7")</c> returns it).
/// </summary>
public sealed partial class ParentNamespace
{
    private readonly Func<string, Handshake, ValueTask<bool>> _accepts;
    private readonly Lock _sync = new();
    private readonly List<Func<SocketIOSocket, ValueTask>> _middleware = new();
    private readonly List<Func<SocketIOSocket, ValueTask>> _connectionHandlers = new();
    private readonly List<SocketIONamespace> _children = new();

    internal ParentNamespace(SocketIOServer server, Func<string, Handshake, ValueTask<bool>> accepts)
    {
        Server = server;
        _accepts = accepts;
    }

    /// <summary>The server the parent belongs to.</summary>
    public SocketIOServer Server { get; }

    /// <summary>The namespaces created from this parent so far.</summary>
    public IReadOnlyList<SocketIONamespace> Children
    {
        get
        {
            lock (_sync)
            {
                return [.. _children];
            }
        }
    }

    /// <summary>Adds middleware to every child (see <see cref="SocketIONamespace.Use"/>).</summary>
    public void Use(Func<SocketIOSocket, ValueTask> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        lock (_sync)
        {
            _middleware.Add(middleware);
            foreach (var child in _children)
            {
                child.Use(middleware);
            }
        }
    }

    /// <summary>Registers a <c>"connection"</c> handler on every child; <c>socket.Namespace</c> is the child.</summary>
    public void On(string eventName, Func<SocketIOSocket, ValueTask> handler)
    {
        SocketIONamespace.EnsureConnectionEvent(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_sync)
        {
            _connectionHandlers.Add(handler);
            foreach (var child in _children)
            {
                child.On(eventName, handler);
            }
        }
    }

    /// <summary>Registers a synchronous <c>"connection"</c> handler on every child.</summary>
    public void On(string eventName, Action<SocketIOSocket> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        On(eventName, socket =>
        {
            handler(socket);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Handles every child's sockets with a handler class (see <see cref="SocketIONamespace.MapHub{THub}"/>).</summary>
    public void MapHub<THub>()
        where THub : SocketIOHub => HubDescriptor.For(typeof(THub)).Attach(handler => On("connection", handler), Server);

    /// <summary>Sends an event to every socket of every child (Node's <c>parentNamespace.emit</c>).</summary>
    public void Emit(string eventName, params object?[] args)
    {
        foreach (var child in Children)
        {
            child.Emit(eventName, args);
        }
    }

    /// <summary>Whether this parent accepts a namespace name; a failing test is a no (as an error is in Node).</summary>
    internal async ValueTask<bool> AcceptsAsync(string name, Handshake handshake)
    {
        try
        {
            return await _accepts(name, handshake);
        }
        catch (Exception ex)
        {
            Log.TestFailed(Server.Logger, ex, name);
            return false;
        }
    }

    /// <summary>Gives a new child the parent's middleware and connection handlers, before any client can reach it.</summary>
    internal void Adopt(SocketIONamespace child)
    {
        lock (_sync)
        {
            foreach (var middleware in _middleware)
            {
                child.Use(middleware);
            }

            foreach (var handler in _connectionHandlers)
            {
                child.On("connection", handler);
            }

            _children.Add(child);
        }

        child.Parent = this;
    }

    internal void Release(SocketIONamespace child)
    {
        lock (_sync)
        {
            _children.Remove(child);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(96, LogLevel.Debug, "The test of a dynamic namespace threw for {Namespace}; taken as a refusal.", EventName = "DynamicNamespaceTestFailed")]
        public static partial void TestFailed(ILogger logger, Exception exception, string @namespace);
    }
}
