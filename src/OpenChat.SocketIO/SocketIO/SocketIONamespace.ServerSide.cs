using System.Text.Json;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

public sealed partial class SocketIONamespace
{
    /// <summary>
    /// Handles an event that another server of the cluster sent with <see cref="ServerSideEmit"/> (Node's
    /// <c>io.on(event)</c> for server-side events). Handlers run in the order events arrive; a handler that
    /// awaits does not hold up the next event.
    /// </summary>
    public void OnServerSideEmit(string eventName, Func<ServerSideEvent, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_sync)
        {
            if (!_serverSideHandlers.TryGetValue(eventName, out var list))
            {
                _serverSideHandlers[eventName] = list = new();
            }

            list.Add(handler);
        }
    }

    /// <summary>Handles a server-side event synchronously.</summary>
    public void OnServerSideEmit(string eventName, Action<ServerSideEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        OnServerSideEmit(eventName, e =>
        {
            handler(e);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Sends an event to the other servers of the cluster (not this one). Arguments are serialized to JSON.</summary>
    public void ServerSideEmit(string eventName, params object?[] args)
    {
        SocketIOSocket.EnsureNotReserved(eventName);
        Adapter.ServerSideEmit(ToPacket(eventName, args));
    }

    /// <summary>
    /// Sends an event to the other servers and waits for each one's answer, at most <paramref name="timeout"/>
    /// (default <see cref="SocketIOOptions.AckTimeout"/>). Throws <see cref="ServerSideEmitTimeoutException"/>,
    /// with the answers that came, when some are missing.
    /// </summary>
    public Task<IReadOnlyList<JsonElement>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        SocketIOSocket.EnsureNotReserved(eventName);
        return Adapter.ServerSideEmitWithAckAsync(ToPacket(eventName, args), timeout ?? Server.Options.AckTimeout, cancellationToken);
    }

    /// <summary>
    /// Delivers a server-side event an adapter received (Node's <c>_onServerSideEmit</c>): <paramref name="packet"/>
    /// is <c>[eventName, ...args]</c>; <paramref name="ack"/>, when the sender waits, takes the one answer.
    /// Handlers run before this returns, up to their first await.
    /// </summary>
    public void OnServerSideEmitReceived(JsonElement packet, Action<JsonElement>? ack)
    {
        if (!IsEventPacket(packet) || !JsonStrings.TryGet(packet[0], out var eventName))
        {
            Log.Malformed(Server.Logger, Name);
            return;
        }

        Func<ServerSideEvent, ValueTask>[] handlers;
        lock (_sync)
        {
            handlers = _serverSideHandlers.TryGetValue(eventName, out var list) ? [.. list] : [];
        }

        var arguments = EventArguments.FromArray(packet, 1, [], Server.JsonOptions);
        var context = new ServerSideEvent(eventName, arguments, ack, Server.JsonOptions);
        foreach (var handler in handlers)
        {
            try
            {
                var pending = handler(context);
                if (!pending.IsCompletedSuccessfully)
                {
                    _ = ObserveAsync(pending, eventName);
                }
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(Server.Logger, ex, Name, eventName);
            }
        }
    }

    private JsonElement ToPacket(string eventName, object?[] args)
    {
        var items = new object?[args.Length + 1];
        items[0] = eventName;
        args.CopyTo(items, 1);
        return JsonSerializer.SerializeToElement(items, Server.JsonOptions);
    }

    private async Task ObserveAsync(ValueTask pending, string eventName)
    {
        try
        {
            await pending;
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Server.Logger, ex, Name, eventName);
        }
    }
}
