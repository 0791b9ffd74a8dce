using OpenChat.Cluster;
using OpenChat.SocketIO;

namespace OpenChat.Chat;

/// <summary>
/// The chat protocol: the original events (<c>add_username</c>, <c>my_mssg</c> in; <c>usernames</c>,
/// <c>message</c> out) for every client, and structured events for clients that declare
/// <c>auth.protocol = 2</c>. Each client gets each message once, in the form it understands. This class
/// owns a connection's arrival, name and departure; messages, channels and history have their own
/// handlers.
/// </summary>
public sealed class ChatHandlers(
    UserDirectory users,
    PresenceBroadcaster presence,
    ClusterPresence cluster,
    InputRules rules,
    MessageHandlers messages,
    ChannelHandlers channels,
    HistoryHandlers history,
    Refusals refusals,
    TimeProvider time)
{
    public void Register(SocketIOServer io)
    {
        cluster.Attach(io);
        io.On("connection", socket => OnConnection(socket));
    }

    private void OnConnection(SocketIOSocket socket)
    {
        var isRich = ClientProtocol.IsRich(socket);
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
                socket.Emit(ChatEvents.Usernames, (object)users.Names(out var version));
                presence.SentList(socket.Id, version);
            }
        });

        presence.Joined(user);
        cluster.Joined(user);
        socket.On(ChatEvents.AddUsername, context => OnAddUsername(context));
        messages.Attach(socket, isRich);
        channels.Attach(socket, isRich);
        history.Attach(socket, isRich);
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
            refusals.Refuse(context, "A name must be a string.");
            return;
        }

        var name = rules.NormalizeName(raw, out var reason);
        if (name is null)
        {
            refusals.Refuse(context, reason);
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
}
