using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.AdminUI;

// The operator's actions, with the arguments Node's admin server takes: (nsp, filter, event, ...args) for
// emit, (nsp, room, filter) for join and leave, (nsp, close, filter) for _disconnect. The filter is a room
// (a socket's id is a room of its own); without one the action targets the whole namespace. Namespaces that do
// not exist are left alone rather than created on an operator's typo.
internal sealed partial class AdminUIInstrumentation
{
    private void RegisterActions(SocketIOSocket socket)
    {
        socket.On("emit", context =>
        {
            var args = context.Arguments;
            if (Target(args, 0, 1) is { } target && args.TryGet<string>(2, out var eventName) && eventName is not null)
            {
                try
                {
                    target.Emit(eventName, args.Slice(3, args.Count - 3));
                }
                catch (ArgumentException ex)
                {
                    Log.ActionRefused(_server.Logger, "emit", ex.Message);
                }
            }
        });
        socket.On("join", context =>
        {
            if (Target(context.Arguments, 0, 2) is { } target && Room(context.Arguments) is { } room)
            {
                target.SocketsJoin(room);
            }
        });
        socket.On("leave", context =>
        {
            if (Target(context.Arguments, 0, 2) is { } target && Room(context.Arguments) is { } room)
            {
                target.SocketsLeave(room);
            }
        });
        socket.On("_disconnect", context =>
        {
            if (Target(context.Arguments, 0, 2) is { } target)
            {
                var close = context.Arguments.Count > 1 && context.Arguments[1].ValueKind == JsonValueKind.True;
                target.DisconnectSockets(close);
            }
        });
    }

    private static string? Room(EventArguments args) => args.TryGet<string>(1, out var room) && !string.IsNullOrEmpty(room) ? room : null;

    private BroadcastOperator? Target(EventArguments args, int nspIndex, int filterIndex)
    {
        if (!args.TryGet<string>(nspIndex, out var nsp) || nsp is null || !_server.TryGetNamespace(nsp, out var ns))
        {
            return null;
        }

        var target = ns.NewOperator();
        return args.Count > filterIndex && args[filterIndex].ValueKind == JsonValueKind.String && args[filterIndex].GetString() is { Length: > 0 } filter
            ? target.In(filter)
            : target;
    }

    private static partial class Log
    {
        [LoggerMessage(120, LogLevel.Warning, "Admin UI: the statistics could not be sent.", EventName = "AdminStatsFailed")]
        public static partial void StatsFailed(ILogger logger, Exception exception);

        [LoggerMessage(121, LogLevel.Warning, "Admin UI: the sockets of namespace {Namespace} could not be fetched from every server.", EventName = "AdminFetchFailed")]
        public static partial void FetchFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(122, LogLevel.Debug, "Admin UI: refused the operator's {Action}: {Reason}", EventName = "AdminActionRefused")]
        public static partial void ActionRefused(ILogger logger, string action, string reason);
    }
}
