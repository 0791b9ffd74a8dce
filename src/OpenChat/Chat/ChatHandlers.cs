using Microsoft.Extensions.Options;
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
    IOptions<ChatOptions> options,
    TimeProvider time)
{
    public void Register(SocketIOServer io)
    {
        cluster.Attach(io);
        io.On("connection", socket => OnConnection(io, socket));
    }

    private void OnConnection(SocketIOServer io, SocketIOSocket socket)
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
        var renames = new RenameRateLimiter(options.Value, time);
        socket.On(ChatEvents.AddUsername, context => OnAddUsername(context, renames));
        messages.Attach(socket, isRich);
        channels.Attach(socket, isRich);
        history.Attach(socket, isRich);
        socket.OnDisconnect(_ =>
        {
            if (users.Remove(socket.Id, out var gone))
            {
                // While stopping every local user leaves: telling the local others would be N² messages
                // nobody reads; the other servers of a cluster still need to hear of it.
                if (!io.IsStopping)
                {
                    presence.Left(gone);
                }

                cluster.Left(gone);
            }
        });
    }

    private void OnAddUsername(EventContext context, RenameRateLimiter renames)
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

        if (users.TryGet(context.Socket.Id, out var current) && current.Name == name)
        {
            // Nothing changes: no rename to limit or announce.
            context.Ack(new ChatReply(true, Name: name));
            return;
        }

        if (!renames.TryTake())
        {
            refusals.Refuse(context, "You are changing your name too often; wait a moment.");
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
