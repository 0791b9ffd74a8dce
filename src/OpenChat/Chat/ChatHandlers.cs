using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO;

namespace OpenChat.Chat;

/// <summary>
/// The chat protocol: the original events (<c>add_username</c>, <c>my_mssg</c> in; <c>usernames</c>,
/// <c>message</c> out) for every client, and structured events for clients that declare
/// <c>auth.protocol = 2</c>. Each client gets each message once, in the form it understands.
/// </summary>
public sealed partial class ChatHandlers(
    UserDirectory users,
    PresenceBroadcaster presence,
    InputRules rules,
    AddressRateLimiter addresses,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<ChatHandlers> logger)
{
    private long _lastMessageId;

    public void Register(SocketIOServer io) => io.On("connection", socket => OnConnection(io, socket));

    private void OnConnection(SocketIOServer io, SocketIOSocket socket)
    {
        var isRich = IsRichClient(socket.Handshake.Auth);
        var name = isRich ? rules.NormalizeName(socket.Handshake.GetAuthString("name"), out _) ?? InputRules.DefaultName : InputRules.DefaultName;
        var user = users.Add(new ChatUser(socket.Id, name, isRich));

        // The newcomer gets the current list at once; everyone else hears of it with the next presence update.
        presence.Welcome(() =>
        {
            socket.Join(isRich ? ChatEvents.RichRoom : ChatEvents.ClassicRoom);
            if (isRich)
            {
                socket.Emit(ChatEvents.PresenceSnapshot, new PresenceSnapshot(users.Snapshot()));
            }
            else
            {
                socket.Emit(ChatEvents.Usernames, (object)users.Names());
            }
        });

        presence.Joined(user);
        var limiter = new MessageRateLimiter(options.Value, time);
        var renames = new RenameRateLimiter(options.Value, time);
        socket.On(ChatEvents.AddUsername, context => OnAddUsername(context, renames));
        socket.On(ChatEvents.SendMessage, context => OnMessage(io, context, limiter));
        socket.OnDisconnect(_ =>
        {
            // While stopping everyone leaves: telling the others would be N² messages nobody reads.
            if (users.Remove(socket.Id, out var gone) && !io.IsStopping)
            {
                presence.Left(gone);
            }
        });
    }

    private void OnAddUsername(EventContext context, RenameRateLimiter renames)
    {
        if (!context.Arguments.TryGet<string>(0, out var raw))
        {
            Refuse(context, "A name must be a string.");
            return;
        }

        var name = rules.NormalizeName(raw, out var reason);
        if (name is null)
        {
            Refuse(context, reason);
            return;
        }

        if (users.TryGet(context.Socket.Id, out var current) && current.Name == name)
        {
            // Nothing changes: no rename to limit or announce.
            context.Ack(new ChatReply(true, Name: name));
            return;
        }

        if (!renames.TryTake())
        {
            Refuse(context, "You are changing your name too often; wait a moment.");
            return;
        }

        var previous = users.Rename(context.Socket.Id, name);
        if (previous is not null && previous != name)
        {
            presence.Renamed(context.Socket.Id, previous, name);
        }

        context.Ack(new ChatReply(true, Name: name));
    }

    private void OnMessage(SocketIOServer io, EventContext context, MessageRateLimiter limiter)
    {
        if (io.IsStopping)
        {
            // Acknowledging now would promise a delivery the closing connections may not make.
            Refuse(context, "The server is restarting; send your message again once it is back.");
            return;
        }

        if (!context.Arguments.TryGet<string>(0, out var text) || text is null)
        {
            Refuse(context, "A message must be a string.");
            return;
        }

        var problem = rules.CheckMessage(text);
        if (problem is not null)
        {
            Refuse(context, problem);
            return;
        }

        if (!limiter.TryTake())
        {
            Refuse(context, "You are sending messages too fast; wait a moment.");
            return;
        }

        if (!addresses.TryTake(context.Socket.Handshake.Request.RemoteAddress))
        {
            Refuse(context, "Too many messages from your network right now; wait a moment.");
            return;
        }

        if (!users.TryGet(context.Socket.Id, out var sender))
        {
            Refuse(context, "You are not in the chat.");
            return;
        }

        var id = Interlocked.Increment(ref _lastMessageId).ToString(CultureInfo.InvariantCulture);
        io.To(ChatEvents.ClassicRoom).Emit(ChatEvents.Message, $"{sender.Name}: {text}");
        io.To(ChatEvents.RichRoom).Emit(ChatEvents.Chat, new ChatMessage(id, sender.Name, text, time.GetUtcNow().ToUnixTimeMilliseconds(), sender.Id));
        context.Ack(new ChatReply(true));
    }

    private void Refuse(EventContext context, string reason)
    {
        LogRefused(logger, context.Socket.Id, context.EventName, reason);
        if (context.HasAck)
        {
            context.Ack(new ChatReply(false, reason));
        }
        else
        {
            context.Socket.Emit(ChatEvents.Refused, new Refusal(context.EventName, reason));
        }
    }

    private static bool IsRichClient(JsonElement auth) =>
        auth.ValueKind == JsonValueKind.Object
        && auth.TryGetProperty("protocol", out var protocol)
        && protocol.ValueKind == JsonValueKind.Number
        && protocol.TryGetInt32(out var version)
        && version >= ChatEvents.RichProtocol;

    [LoggerMessage(1, LogLevel.Debug, "Refused {Event} from {SocketId}: {Reason}", EventName = "Refused")]
    private static partial void LogRefused(ILogger logger, string socketId, string @event, string reason);
}
