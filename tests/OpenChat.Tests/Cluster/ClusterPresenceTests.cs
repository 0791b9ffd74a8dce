using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenChat.Chat;
using OpenChat.Cluster;
using OpenChat.SocketIO;
using OpenChat.SocketIO.Adapters;

namespace OpenChat.Tests.Cluster;

/// <summary>
/// How servers keep each other's user lists, over a loopback cluster transport on fake clocks: changes go out
/// numbered, a missed one or a new server is answered with everyone's users, a server that leaves takes its
/// users with it.
/// </summary>
public sealed class ClusterPresenceTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(150);

    private readonly FakeTimeProvider _time = new();
    private readonly LoopbackCluster _cluster = new();

    [Fact]
    public void A_join_rename_and_leave_on_one_server_reach_the_others_list_in_join_order()
    {
        var (a, b) = Pair();
        a.Join("a1", "Ana");
        b.Join("b1", "Bob");
        a.Join("a2", "Al");
        Assert.Equal(["Ana", "Bob", "Al"], b.Users.Names());
        Assert.Equal(["Ana", "Bob", "Al"], a.Users.Names());

        a.Rename("a1", "Anabel");
        b.Leave("b1");
        Assert.Equal(["Anabel", "Al"], b.Users.Names());
        Assert.Equal(["Anabel", "Al"], a.Users.Names());
        Assert.Equal(2, a.Users.ClassicCount); // each server counts only its own original clients
        Assert.Equal(0, b.Users.ClassicCount);
    }

    [Fact]
    public void A_missed_change_is_noticed_at_the_next_one_and_mended_by_a_hello_within_one_window()
    {
        var (a, b) = Pair();
        a.Join("a1", "Ana");
        _cluster.DropMessage = m => m.Data is { } d && d[0].GetString() == ClusterPresence.ChangeEvent && d[1].GetProperty("user").GetProperty("id").GetString() == "a2";
        a.Join("a2", "Al");
        _cluster.DropMessage = _ => false;
        Assert.Equal(["Ana"], b.Users.Names());

        a.Join("a3", "Amy");
        Assert.Equal(["Ana"], b.Users.Names());
        _time.Advance(Window);
        Assert.Equal(["Ana", "Al", "Amy"], b.Users.Names());
    }

    [Fact]
    public void A_server_that_starts_later_learns_everyone_and_everyone_learns_its_users()
    {
        var a = Node();
        a.Join("a1", "Ana");
        var b = Node();
        b.Join("b1", "Bob");
        _time.Advance(Window);
        Assert.Equal(["Ana", "Bob"], b.Users.Names());
        Assert.Equal(["Ana", "Bob"], a.Users.Names());
    }

    [Fact]
    public void A_server_that_leaves_takes_its_users_out_of_every_list()
    {
        var (a, b) = Pair();
        b.Join("b1", "Bob");
        b.Join("b2", "Bea");
        a.Join("a1", "Ana");
        Assert.Equal(3, a.Users.Count);

        ((LoopbackAdapter)b.IO.MainNamespace.Adapter).GoOffline();
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(["Ana"], a.Users.Names());
        Assert.Equal(["Bob", "Bea"], b.Users.Names());
    }

    /// <summary>Two servers that have heard each other and exchanged hellos (one window after they start).</summary>
    private (TestNode A, TestNode B) Pair()
    {
        var a = Node();
        var b = Node();
        _time.Advance(Window);
        return (a, b);
    }

    private TestNode Node()
    {
        var options = Options.Create(new ChatOptions { PresenceWindow = Window });
        var io = _cluster.AddServer(_time);
        var users = new UserDirectory();
        var presence = new PresenceBroadcaster(io, users, options, _time);
        var cluster = new ClusterPresence(users, presence, options, _time);
        cluster.Attach(io);
        return new TestNode(io, users, presence, cluster, _time);
    }

    /// <summary>One server's chat state, its users joining, renaming and leaving as ChatHandlers would make them.</summary>
    private sealed record TestNode(SocketIOServer IO, UserDirectory Users, PresenceBroadcaster Presence, ClusterPresence Cluster, TimeProvider Time)
    {
        public void Join(string id, string name)
        {
            // A millisecond between joins, so the join order across servers is the order of the calls.
            ((FakeTimeProvider)Time).Advance(TimeSpan.FromMilliseconds(1));
            var user = Users.Add(new ChatUser(id, name, IsRich: false, JoinedAt: Time.GetUtcNow().ToUnixTimeMilliseconds()));
            Presence.Joined(user);
            Cluster.Joined(user);
        }

        public void Rename(string id, string name)
        {
            var previous = Users.Rename(id, name)!;
            Presence.Renamed(id, previous, name);
            Users.TryGet(id, out var renamed);
            Cluster.Renamed(renamed);
        }

        public void Leave(string id)
        {
            Users.Remove(id, out var gone);
            Presence.Left(gone);
            Cluster.Left(gone);
        }
    }
}
