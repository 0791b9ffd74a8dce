using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>Running a socket's handlers for an event, and its disconnect sequence.</summary>
public sealed partial class SocketIOSocket
{
    /// <summary>
    /// Runs an event: catch-all handlers, then socket middleware, then the event's handlers, inside a log
    /// scope naming the socket, namespace and event. What they throw is logged here (Debug for what the
    /// client caused, Error otherwise) and, with <see cref="SocketIOOptions.AcknowledgeHandlerErrors"/>,
    /// answers the client's acknowledgement.
    /// </summary>
    internal async ValueTask HandleEventAsync(SocketPacket packet)
    {
        if (!Connected)
        {
            return;
        }

        var data = packet.Data!.Value;
        var name = data[0].ValueKind == JsonValueKind.String ? data[0].GetString()! : data[0].GetRawText();
        var server = Namespace.Server;
        var context = new EventContext(this, name, EventArguments.FromArray(data, 1, packet.Attachments, server.JsonOptions), packet.Id);
        server.Observer?.OnEventReceived(this, name, context.Arguments);
        using var scope = server.Logger.BeginScope(new SocketLogScope(Id, Namespace.Name, name));

        // Counted while running, so a shutdown waits for handlers that began before it (HandlerGate).
        var gate = server.Handlers;
        gate.Enter();
        try
        {
            await RunAsync(context);
        }
        finally
        {
            gate.Exit();
            await context.DisposeAsync();
        }
    }

    private async ValueTask RunAsync(EventContext context)
    {
        try
        {
            foreach (var any in _anyHandlers.Snapshot)
            {
                if (_anyHandlers.Claim(any))
                {
                    await any.Invoke(context);
                }
            }
        }
        catch (Exception ex)
        {
            OnHandlerFailed(context, ex);
            return;
        }

        var middleware = _middleware.Snapshot;
        if (middleware.Length == 0)
        {
            await RunEventHandlersAsync(context);
            return;
        }

        try
        {
            await RunMiddlewareAsync(context, middleware, 0);
        }
        catch (Exception ex)
        {
            OnMiddlewareRefused(context, ex);
        }
    }

    /// <summary>Marks the socket gone; returns false if it already was.</summary>
    internal bool MarkDisconnected() => Interlocked.Exchange(ref _connected, 0) == 1;

    /// <summary>
    /// The disconnect sequence of the reference server, started at once whatever the socket's handlers are
    /// doing: the pending acknowledgements fail with <see cref="SocketDisconnectedException"/> and
    /// <see cref="DisconnectToken"/> is cancelled; the disconnecting handlers run with the rooms intact; the
    /// socket leaves its rooms and the namespace's list; then, once its running handlers have returned (what
    /// was queued behind them is dropped), the disconnect handlers run. Runs inline up to the first await, so
    /// with synchronous disconnecting handlers the socket is out of its rooms when this returns.
    /// </summary>
    internal void BeginDisconnect(string reason)
    {
        if (!MarkDisconnected())
        {
            return;
        }

        _acks.Close(new SocketDisconnectedException(reason));
        _ = CompleteDisconnectAsync(reason);
    }

    private async Task CompleteDisconnectAsync(string reason)
    {
        try
        {
            await RunDisconnectSequenceAsync(reason);
        }
        catch (Exception ex)
        {
            // Handlers' exceptions are logged where they run; this is the adapter or the queue failing.
            Log.HandlerFailed(Namespace.Server.Logger, ex, Id, Namespace.Name, "disconnect");
        }
        finally
        {
            // A recovered session with this id waits for this before it joins its rooms again.
            _gone.TrySetResult();
        }
    }

    private async Task RunDisconnectSequenceAsync(string reason)
    {
        var logger = Namespace.Server.Logger;
        using (logger.BeginScope(new SocketLogScope(Id, Namespace.Name, "disconnecting")))
        {
            try
            {
                _disconnect.Cancel();
            }
            catch (AggregateException ex)
            {
                Log.HandlerFailed(logger, ex, Id, Namespace.Name, "disconnect (a callback of DisconnectToken)");
            }

            foreach (var handler in _disconnectingHandlers.Snapshot)
            {
                await RunLifecycleHandlerAsync(handler.Invoke, reason, "disconnecting");
            }

            Namespace.Adapter.DeleteAll(Id);
            Namespace.Remove(this);
            Namespace.Server.Observer?.OnDisconnected(this, reason);
        }

        await Queue.CloseAsync();
        using (logger.BeginScope(new SocketLogScope(Id, Namespace.Name, "disconnect")))
        {
            foreach (var handler in _disconnectHandlers.Snapshot)
            {
                await RunLifecycleHandlerAsync(handler.Invoke, reason, "disconnect");
            }
        }
    }

    private async ValueTask RunLifecycleHandlerAsync(Func<string, ValueTask> handler, string reason, string eventName)
    {
        try
        {
            await handler(reason);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Namespace.Server.Logger, ex, Id, Namespace.Name, eventName);
        }
    }

    private async ValueTask RunMiddlewareAsync(EventContext context, HandlerList<Func<EventContext, Func<ValueTask>, ValueTask>>.Entry[] middleware, int index)
    {
        if (index == middleware.Length)
        {
            if (Connected)
            {
                await RunEventHandlersAsync(context);
            }

            return;
        }

        var called = 0;
        await middleware[index].Invoke(context, () =>
            Interlocked.Exchange(ref called, 1) == 0 ? RunMiddlewareAsync(context, middleware, index + 1) : ValueTask.CompletedTask);
    }

    /// <summary>The event's own handlers; their exceptions stop here, so middleware never sees them as its own.</summary>
    private async ValueTask RunEventHandlersAsync(EventContext context)
    {
        try
        {
            var list = HandlersList(context.EventName);
            if (list is null)
            {
                Log.NoHandler(Namespace.Server.Logger, Id, Namespace.Name, context.EventName);
                return;
            }

            foreach (var handler in list.Snapshot)
            {
                if (list.Claim(handler))
                {
                    await handler.Invoke(context);
                }
            }
        }
        catch (Exception ex)
        {
            OnHandlerFailed(context, ex);
        }
    }

    private HandlerList<Func<EventContext, ValueTask>>? HandlersList(string eventName)
    {
        lock (_handlers)
        {
            return _handlers.TryGetValue(eventName, out var list) ? list : null;
        }
    }

    private void OnHandlerFailed(EventContext context, Exception exception)
    {
        var logger = Namespace.Server.Logger;
        switch (exception)
        {
            case OperationCanceledException when !Connected:
                Log.HandlerCancelled(logger, Id, Namespace.Name, context.EventName);
                break;
            case EventArgumentException bad:
                Log.BadArguments(logger, Id, Namespace.Name, context.EventName, bad.Message);
                break;
            default:
                Log.HandlerFailed(logger, exception, Id, Namespace.Name, context.EventName);
                break;
        }

        AcknowledgeError(context, exception);
    }

    private void OnMiddlewareRefused(EventContext context, Exception exception)
    {
        var logger = Namespace.Server.Logger;
        Log.MiddlewareRefused(logger, exception, Id, Namespace.Name, context.EventName);
        foreach (var handler in _errorHandlers.Snapshot)
        {
            try
            {
                handler.Invoke(exception);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(logger, ex, Id, Namespace.Name, "error");
            }
        }

        AcknowledgeError(context, exception);
    }

    private void AcknowledgeError(EventContext context, Exception exception)
    {
        if (Namespace.Server.Options.AcknowledgeHandlerErrors && context.HasAck && Connected)
        {
            context.Ack(new HandlerError(exception.Message));
        }
    }

    private void NotifyOutgoing(EncodedPacket packet)
    {
        var (name, args) = packet.ReadEvent(Namespace.Server.JsonOptions);
        Namespace.Server.Observer?.OnEventSent(this, name, args);
        foreach (var handler in _outgoingHandlers.Snapshot)
        {
            try
            {
                handler.Invoke(name, args);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(Namespace.Server.Logger, ex, Id, Namespace.Name, "outgoing " + name);
            }
        }
    }

    /// <summary>What an acknowledgement carries when the handler failed (<see cref="SocketIOOptions.AcknowledgeHandlerErrors"/>).</summary>
    private sealed record HandlerError(string Error);

    private static partial class Log
    {
        [LoggerMessage(41, LogLevel.Error, "Socket {SocketId} on {Namespace}: the handler of {Event} threw.", EventName = "HandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string socketId, string @namespace, string @event);

        [LoggerMessage(42, LogLevel.Debug, "Socket {SocketId} on {Namespace}: the arguments of {Event} were refused: {Problem}", EventName = "BadEventArguments")]
        public static partial void BadArguments(ILogger logger, string socketId, string @namespace, string @event, string problem);

        [LoggerMessage(43, LogLevel.Debug, "Socket {SocketId} on {Namespace}: the handler of {Event} stopped as the socket disconnected.", EventName = "HandlerCancelled")]
        public static partial void HandlerCancelled(ILogger logger, string socketId, string @namespace, string @event);

        [LoggerMessage(44, LogLevel.Debug, "Socket {SocketId} on {Namespace}: socket middleware refused {Event}.", EventName = "EventRefused")]
        public static partial void MiddlewareRefused(ILogger logger, Exception exception, string socketId, string @namespace, string @event);

        [LoggerMessage(45, LogLevel.Trace, "Socket {SocketId} on {Namespace}: no handler for {Event}.", EventName = "NoHandler")]
        public static partial void NoHandler(ILogger logger, string socketId, string @namespace, string @event);
    }
}
