using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenChat.Cluster;
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
    ClusterPresence cluster,
    InputRules rules,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<ChatHandlers> logger)
{
    private long _lastMessageId;

    public void Register(SocketIOServer io)
    {
        cluster.Attach(io);
        io.On("connection", socket => OnConnection(io, socket));
    }

    private void OnConnection(SocketIOServer io, SocketIOSocket socket)
    {
        var isRich = IsRichClient(socket.Handshake.Auth);
        var name = isRich ? rules.NormalizeName(socket.Handshake.GetAuthString("name"), out _) ?? InputRules.DefaultName : InputRules.DefaultName;
        var user = users.Add(new ChatUser(socket.Id, name, isRich, JoinedAt: time.GetUtcNow().ToUnixTimeMilliseconds()));

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
        cluster.Joined(user);
        var limiter = new MessageRateLimiter(options.Value, time);
        socket.On(ChatEvents.AddUsername, context => OnAddUsername(context));
        socket.On(ChatEvents.SendMessage, context => OnMessage(io, context, limiter));
        socket.OnDisconnect(_ =>
        {
            if (users.Remove(socket.Id, out var gone))
            {
                presence.Left(gone);
                cluster.Left(gone);
            }
        });
    }

    private void OnAddUsername(EventContext context)
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

        var previous = users.Rename(context.Socket.Id, name);
        if (previous is not null && previous != name)
        {
            presence.Renamed(context.Socket.Id, previous, name);
            if (users.TryGet(context.Socket.Id, out var renamed))
            {
                cluster.Renamed(renamed);
            }
        }

        context.Ack(new ChatReply(true, Name: name));
    }

    private void OnMessage(SocketIOServer io, EventContext context, MessageRateLimiter limiter)
    {
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
