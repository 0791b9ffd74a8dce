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
    HeldLeaves heldLeaves,
    InputRules rules,
    MessageHandlers messages,
    ChannelHandlers channels,
    HistoryHandlers history,
    Refusals refusals,
    TimeProvider time)
{
    private bool _recovery;

    public void Register(SocketIOServer io)
    {
        _recovery = io.Options.ConnectionStateRecovery is { Enabled: true };
        cluster.Attach(io);
        io.On("connection", socket => OnConnection(socket));
    }

    private void OnConnection(SocketIOSocket socket)
    {
        var isRich = ClientProtocol.IsRich(socket);

        // A recovered session within the grace is still listed: it never left, as far as anyone knows. Its rooms
        // (channels) came back with it; it gets the current list again, having missed nothing else.
        var returning = socket.Recovered && heldLeaves.Release(socket.Id) && users.TryGet(socket.Id, out _);
        ChatUser? joined = null;
        if (!returning)
        {
            var name = isRich ? rules.NormalizeName(socket.Handshake.GetAuthString("name"), out _) ?? InputRules.DefaultName : InputRules.DefaultName;
            joined = users.Add(new ChatUser(socket.Id, name, isRich, JoinedAt: time.GetUtcNow().ToUnixTimeMilliseconds()));
        }

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

        if (joined is not null)
        {
            presence.Joined(joined);
            cluster.Joined(joined);
        }

        socket.On(ChatEvents.AddUsername, context => OnAddUsername(context));
        messages.Attach(socket, isRich);
        channels.Attach(socket, isRich);
        history.Attach(socket, isRich);
        socket.OnDisconnect(reason =>
        {
            if (isRich && _recovery && heldLeaves.Enabled && DisconnectReasons.IsRecoverable(reason))
            {
                heldLeaves.Hold(socket.Id, () => Leave(socket.Id));
            }
            else
            {
                Leave(socket.Id);
            }
        });
    }

    private void Leave(string socketId)
    {
        if (users.Remove(socketId, out var gone))
        {
            presence.Left(gone);
            cluster.Left(gone);
        }
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
