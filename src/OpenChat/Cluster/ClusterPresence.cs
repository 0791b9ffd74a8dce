using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenChat.Chat;
using OpenChat.SocketIO;
using OpenChat.SocketIO.Adapters;

namespace OpenChat.Cluster;

/// <summary>
/// Keeps every server's <see cref="UserDirectory"/> holding the users of all servers of the cluster, over
/// server-side events: each local join, rename or leave goes to the other servers at once, numbered per
/// server; a server that hears of a new (or returning) server, or misses a number, asks for everyone's
/// users (<c>hello</c>) and answers such a request with its own; a server that leaves (closes, stops sending
/// heartbeats, or can no longer be reached) takes its users with it. Remote changes enter this server's
/// <see cref="PresenceBroadcaster"/> like local ones, so lists stay coalesced and exact within one window of
/// the last change heard. With the in-memory adapter (no cluster) nothing is sent.
/// </summary>
public sealed class ClusterPresence : IDisposable
{
    /// <summary>The server-side event of one change: <c>{server, seq, change: "join"|"rename"|"avatar"|"leave", user}</c>.</summary>
    public const string ChangeEvent = "openchat:presence";

    /// <summary>The server-side event of all of one server's users: <c>{server, seq, wantsReplies, users}</c>.</summary>
    public const string HelloEvent = "openchat:presence-hello";

    private readonly UserDirectory _users;
    private readonly PresenceBroadcaster _presence;
    private readonly TimeSpan _helloDelay;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, long> _servers = new(StringComparer.Ordinal);
    private readonly ITimer _helloTimer;
    private SocketIOServer? _io;
    private string _serverId = string.Empty;
    private long _seq;
    private bool _helloScheduled;
    private bool _helloWantsReplies;

    public ClusterPresence(UserDirectory users, PresenceBroadcaster presence, IOptions<ChatOptions> options, TimeProvider time)
    {
        _users = users;
        _presence = presence;

        // Hellos wait a moment so several requests (many servers at once, after an outage) cost one answer.
        _helloDelay = options.Value.PresenceWindow;
        _helloTimer = time.CreateTimer(static s => ((ClusterPresence)s!).SendHello(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether the server has other servers to tell (a cluster adapter).</summary>
    public bool IsClustered { get; private set; }

    /// <summary>Joins the cluster of the server's main namespace, if it has one.</summary>
    public void Attach(SocketIOServer io)
    {
        var adapter = io.MainNamespace.Adapter;
        _io = io;
        _serverId = adapter.ServerId;
        _users.LocalServer = _serverId;
        IsClustered = adapter is ClusterAdapter;
        if (!IsClustered)
        {
            return;
        }

        io.OnServerSideEmit(ChangeEvent, OnChange);
        io.OnServerSideEmit(HelloEvent, OnHello);
        adapter.ServerJoined += _ => RequestHello(wantReplies: true);
        adapter.ServerLeft += OnServerLeft;
        if (adapter is ClusterAdapter { Servers.Count: > 0 })
        {
            // Servers heard from before these handlers were in place would otherwise wait for a change of ours.
            RequestHello(wantReplies: true);
        }
    }

    /// <summary>A user joined this server.</summary>
    public void Joined(ChatUser user) => Publish("join", user);

    /// <summary>A user of this server changed name.</summary>
    public void Renamed(ChatUser user) => Publish("rename", user);

    /// <summary>The picture of a user of this server changed (the user carries the new one, or none).</summary>
    public void AvatarChanged(ChatUser user) => Publish("avatar", user);

    /// <summary>A user left this server.</summary>
    public void Left(ChatUser user) => Publish("leave", user);

    public void Dispose() => _helloTimer.Dispose();

    private void Publish(string change, ChatUser user)
    {
        if (!IsClustered)
        {
            return;
        }

        lock (_sync)
        {
            // Numbered and sent under the lock, so the other servers get the changes in the order of the numbers.
            _io!.ServerSideEmit(ChangeEvent, new PresenceChange(_serverId, ++_seq, change, ToEntry(user)));
        }
    }

    private void OnChange(ServerSideEvent e)
    {
        if (!e.Arguments.TryGet<PresenceChange>(0, out var message) || message is null || message.Server == _serverId || message.User is not { } entry)
        {
            return;
        }

        lock (_sync)
        {
            if (!_servers.TryGetValue(message.Server, out var last) || message.Seq > last + 1)
            {
                // A server not heard from yet, or a change missed: its hello will carry all of this.
                RequestHello(wantReplies: true);
                return;
            }

            if (message.Seq <= last)
            {
                return;
            }

            _servers[message.Server] = message.Seq;
            var user = ToUser(message.Server, entry);
            switch (message.Change)
            {
                case "join":
                    _presence.Joined(_users.Add(user));
                    break;
                case "rename" when _users.Rename(user.Id, user.Name) is { } previous && previous != user.Name:
                    _presence.Renamed(user.Id, previous, user.Name);
                    break;
                case "avatar" when _users.SetAvatar(user.Id, user.Avatar):
                    _presence.AvatarChanged(user.Id, user.Avatar);
                    break;
                case "leave" when _users.Remove(user.Id, out var gone):
                    _presence.Left(gone);
                    break;
            }
        }
    }

    private void OnHello(ServerSideEvent e)
    {
        if (!e.Arguments.TryGet<PresenceHello>(0, out var hello) || hello is null || hello.Server == _serverId)
        {
            return;
        }

        lock (_sync)
        {
            if (!_servers.TryGetValue(hello.Server, out var last) || hello.Seq >= last)
            {
                Replace(hello.Server, hello.Users ?? []);
                _servers[hello.Server] = hello.Seq;
            }
        }

        if (hello.WantsReplies)
        {
            RequestHello(wantReplies: false);
        }
    }

    /// <summary>Makes this server's copy of another server's users equal to what that server says it has.</summary>
    private void Replace(string server, IReadOnlyList<PresenceUser> users)
    {
        var current = _users.UsersOf(server).ToDictionary(u => u.Id, StringComparer.Ordinal);
        var said = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in users)
        {
            said.Add(entry.Id);
            if (!current.TryGetValue(entry.Id, out var known))
            {
                _presence.Joined(_users.Add(ToUser(server, entry)));
            }
            else
            {
                if (known.Name != entry.Name && _users.Rename(entry.Id, entry.Name) is { } previous)
                {
                    _presence.Renamed(entry.Id, previous, entry.Name);
                }

                if (known.Avatar != entry.Avatar && _users.SetAvatar(entry.Id, entry.Avatar))
                {
                    _presence.AvatarChanged(entry.Id, entry.Avatar);
                }
            }
        }

        foreach (var gone in current.Values.Where(u => !said.Contains(u.Id)))
        {
            if (_users.Remove(gone.Id, out var removed))
            {
                _presence.Left(removed);
            }
        }
    }

    private void OnServerLeft(string server)
    {
        lock (_sync)
        {
            _servers.Remove(server);
            foreach (var gone in _users.RemoveServer(server))
            {
                _presence.Left(gone);
            }
        }
    }

    private void RequestHello(bool wantReplies)
    {
        lock (_sync)
        {
            _helloWantsReplies |= wantReplies;
            if (_helloScheduled)
            {
                return;
            }

            _helloScheduled = true;
            _helloTimer.Change(_helloDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void SendHello()
    {
        lock (_sync)
        {
            var wantsReplies = _helloWantsReplies;
            _helloScheduled = false;
            _helloWantsReplies = false;
            var users = _users.UsersOf(null).Select(ToEntry).ToArray();
            _io?.ServerSideEmit(HelloEvent, new PresenceHello(_serverId, _seq, wantsReplies, users));
        }
    }

    private static PresenceUser ToEntry(ChatUser user) => new(user.Id, user.Name, user.IsRich, user.JoinedAt, user.Order, user.Avatar);

    // A user of another server carries its picture; its account stays with the server that holds the socket.
    private static ChatUser ToUser(string server, PresenceUser entry) => new(entry.Id, entry.Name, entry.Rich, entry.Order, server, entry.JoinedAt, Avatar: entry.Avatar);

    /// <summary>One user as the servers tell each other; <see cref="Avatar"/> is the URL of their picture, if any.</summary>
    internal sealed record PresenceUser(string Id, string Name, bool Rich, long JoinedAt, long Order, string? Avatar = null);

    /// <summary>One change on one server: <c>join</c>, <c>rename</c> or <c>leave</c>, numbered per server.</summary>
    internal sealed record PresenceChange(string Server, long Seq, string Change, PresenceUser? User);

    /// <summary>All the users of one server as of its change <see cref="Seq"/>; with <see cref="WantsReplies"/>, a request for everyone else's.</summary>
    internal sealed record PresenceHello(string Server, long Seq, bool WantsReplies, IReadOnlyList<PresenceUser>? Users);
}
