using Microsoft.Extensions.Options;
using OpenChat.Accounts;
using OpenChat.Cluster;
using OpenChat.SocketIO;

namespace OpenChat.Chat;

/// <summary>
/// The chat protocol: the original events (<c>add_username</c>, <c>my_mssg</c> in; <c>usernames</c>,
/// <c>message</c> out) for every client, and structured events for clients that declare
/// <c>auth.protocol = 2</c>. Each client gets each message once, in the form it understands. This class
/// owns a connection's arrival, name and departure; messages, channels and history have their own
/// handlers. A signed-in socket (see <see cref="AccountSockets"/>) goes by its account's name; a guest may
/// not take a registered one.
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
    AccountSockets accounts,
    Refusals refusals,
    IOptions<ChatOptions> options,
    TimeProvider time)
{
    private bool _recovery;

    public void Register(SocketIOServer io)
    {
        _recovery = io.Options.ConnectionStateRecovery is { Enabled: true };
        cluster.Attach(io);
        accounts.Register(io);
        io.On("connection", socket => OnConnection(io, socket));
    }

    private void OnConnection(SocketIOServer io, SocketIOSocket socket)
    {
        var isRich = ClientProtocol.IsRich(socket);
        var account = AccountSockets.Of(socket);

        // A recovered session within the grace is still listed: it never left, as far as anyone knows. Its rooms
        // (channels, its sign-in) came back with it; it gets the current list again, having missed nothing else.
        var returning = socket.Recovered && heldLeaves.Release(socket.Id) && users.TryGet(socket.Id, out _);
        ChatUser? joined = null;
        if (!returning)
        {
            // A rich guest's name was checked against the registered ones before the socket was admitted.
            var name = account?.Name
                ?? (isRich ? rules.NormalizeName(socket.Handshake.GetAuthString("name"), out _) ?? InputRules.DefaultName : InputRules.DefaultName);
            joined = users.Add(new ChatUser(socket.Id, name, isRich, JoinedAt: time.GetUtcNow().ToUnixTimeMilliseconds(), AccountId: account?.AccountId, Avatar: account?.Avatar));
        }

        if (account?.SignInId is { } signIn)
        {
            socket.Join(AccountRooms.ForSignIn(signIn));
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
                socket.Emit(ChatEvents.Usernames, (object)users.Names(out var version));
                presence.SentList(socket.Id, version);
            }
        });

        if (joined is not null)
        {
            presence.Joined(joined);
            cluster.Joined(joined);
        }

        var renames = new RenameRateLimiter(options.Value, time);
        socket.On(ChatEvents.AddUsername, context => OnAddUsernameAsync(context, account, renames));
        messages.Attach(socket, isRich);
        channels.Attach(socket, isRich);
        history.Attach(socket, isRich);
        socket.OnDisconnect(reason =>
        {
            // A stopping server keeps no session anyone could come back to: its users leave now.
            if (isRich && _recovery && heldLeaves.Enabled && DisconnectReasons.IsRecoverable(reason) && !io.IsStopping)
            {
                heldLeaves.Hold(socket.Id, () => Leave(io, socket.Id));
            }
            else
            {
                Leave(io, socket.Id);
            }
        });
    }

    private void Leave(SocketIOServer io, string socketId)
    {
        if (users.Remove(socketId, out var gone))
        {
            // While stopping every local user leaves: telling the local others would be N² messages
            // nobody reads; the other servers of a cluster still need to hear of it.
            if (!io.IsStopping)
            {
                presence.Left(gone);
            }

            cluster.Left(gone);
        }
    }

    private async ValueTask OnAddUsernameAsync(EventContext context, SignedInUser? account, RenameRateLimiter renames)
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

        if (account is not null)
        {
            // A signed-in socket goes by its account's name; asking for that name (in any case) is a no-op.
            if (InputRules.NameKey(name) == InputRules.NameKey(account.Name))
            {
                context.Ack(new ChatReply(true, Name: account.Name));
            }
            else
            {
                refusals.Refuse(context, $"You are signed in as {account.Name}; sign out to chat under another name.");
            }

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

        // After the rename limit, which also bounds how often a connection makes the store look a name up.
        if (await accounts.CheckGuestNameAsync(name) is { } reserved)
        {
            refusals.Refuse(context, reserved);
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
