using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// What a <see cref="SocketIOHub"/> class handles, read once per type: its event methods and whether it
/// overrides the connection and disconnection hooks. Attached to a namespace, it registers the handlers of
/// each socket that joins.
/// </summary>
internal sealed class HubDescriptor
{
    private static readonly ConcurrentDictionary<Type, HubDescriptor> Cache = new();

    private readonly Type _type;
    private readonly ObjectFactory _create;
    private readonly HubMethod[] _methods;
    private readonly bool _onConnected;
    private readonly bool _onDisconnected;

    private HubDescriptor(Type type)
    {
        if (type.IsAbstract || type.ContainsGenericParameters)
        {
            throw new InvalidOperationException($"{type.Name} cannot be created: a hub is a concrete class.");
        }

        _type = type;
        _create = ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
        _onConnected = Overrides(type, nameof(SocketIOHub.OnConnectedAsync));
        _onDisconnected = Overrides(type, nameof(SocketIOHub.OnDisconnectedAsync));
        var methods = new List<HubMethod>();
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.IsSpecialName || !IsDeclaredByTheHub(method) || method.GetBaseDefinition().DeclaringType == typeof(SocketIOHub))
            {
                continue;
            }

            if (method.IsGenericMethodDefinition)
            {
                throw new InvalidOperationException($"{type.Name}.{method.Name} is generic; a hub method handles one event with fixed parameter types.");
            }

            var name = method.GetCustomAttribute<SocketIOEventAttribute>()?.Name ?? EventNameOf(method.Name);
            if (ReservedEvents.Contains(name) || name is "disconnect" or "disconnecting")
            {
                throw new InvalidOperationException($"{type.Name}.{method.Name} would handle \"{name}\", a reserved event; override OnConnectedAsync or OnDisconnectedAsync instead, or name the event with [SocketIOEvent].");
            }

            if (methods.Any(m => m.EventName == name))
            {
                throw new InvalidOperationException($"{type.Name} has two methods for the event \"{name}\" (overloads are not told apart); rename one or give it [SocketIOEvent(\"...\")].");
            }

            methods.Add(new HubMethod(type, method, name));
        }

        _methods = [.. methods];
    }

    /// <summary>The events the hub handles, by name (for tests and messages).</summary>
    public IReadOnlyList<string> Events => [.. _methods.Select(m => m.EventName)];

    public static HubDescriptor For(Type type) => Cache.GetOrAdd(type, static t => new HubDescriptor(t));

    /// <summary>The event a method handles by default: its name without "Async", in camelCase.</summary>
    internal static string EventNameOf(string methodName)
    {
        var name = methodName.EndsWith("Async", StringComparison.Ordinal) && methodName.Length > 5 ? methodName[..^5] : methodName;
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>Registers the hub on a namespace: every socket that joins gets the hub's handlers.</summary>
    public void Attach(Action<Func<SocketIOSocket, ValueTask>> onConnection, SocketIOServer server)
    {
        if (server.ScopeFactory is null)
        {
            throw new InvalidOperationException($"MapHub<{_type.Name}>() needs the application's services: resolve SocketIOServer from DI (services.AddSocketIO()).");
        }

        onConnection(OnConnectionAsync);
    }

    private static bool Overrides(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance)?.DeclaringType != typeof(SocketIOHub);

    private static bool IsDeclaredByTheHub(MethodInfo method) =>
        method.DeclaringType is { } declaring && declaring != typeof(object) && declaring != typeof(SocketIOHub) && typeof(SocketIOHub).IsAssignableFrom(declaring);

    private async ValueTask OnConnectionAsync(SocketIOSocket socket)
    {
        foreach (var method in _methods)
        {
            socket.On(method.EventName, context => InvokeAsync(method, context));
        }

        if (_onDisconnected)
        {
            socket.OnDisconnect(reason => RunLifecycleAsync(socket, hub => hub.OnDisconnectedAsync(reason)));
        }

        if (_onConnected)
        {
            await RunLifecycleAsync(socket, hub => hub.OnConnectedAsync());
        }
    }

    private async ValueTask InvokeAsync(HubMethod method, EventContext context)
    {
        var hub = (SocketIOHub)_create(context.Services, null);
        try
        {
            hub.Bind(context.Socket, context);
            var result = await method.InvokeAsync(hub, context);
            if (context.HasAck && !context.Acknowledged)
            {
                if (method.HasResult)
                {
                    context.Ack(result);
                }
                else
                {
                    context.Ack();
                }
            }
        }
        finally
        {
            await DisposeAsync(hub);
        }
    }

    private async ValueTask RunLifecycleAsync(SocketIOSocket socket, Func<SocketIOHub, ValueTask> run)
    {
        await using var scope = socket.Namespace.Server.ScopeFactory!.CreateAsyncScope();
        var hub = (SocketIOHub)_create(scope.ServiceProvider, null);
        try
        {
            hub.Bind(socket, null);
            await run(hub);
        }
        finally
        {
            await DisposeAsync(hub);
        }
    }

    private static ValueTask DisposeAsync(SocketIOHub hub)
    {
        switch (hub)
        {
            case IAsyncDisposable asyncDisposable:
                return asyncDisposable.DisposeAsync();
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        return ValueTask.CompletedTask;
    }
}
