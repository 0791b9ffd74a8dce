using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Adapters;

namespace OpenChat.SocketIO.Tests.SocketIO.Adapters;

/// <summary>
/// The transport-independent half of every cluster adapter, over a loopback transport and fake clocks:
/// heartbeats and server membership, requests that wait for each other server and time out with what came,
/// acknowledgement aggregation, local-only operations, a lost link.
/// </summary>
public sealed class ClusterAdapterTests
{
    private readonly LoopbackCluster _cluster = new();

    [Fact]
    public void A_starting_server_is_known_at_once_and_a_silent_one_leaves_after_the_timeout_plus_at_most_a_second()
    {
        var timeA = new FakeTimeProvider();
        var a = Adapter(_cluster.AddServer(timeA));
        var left = new List<string>();
        a.ServerLeft += left.Add;
        var b = Adapter(_cluster.AddServer(new FakeTimeProvider()));
        Assert.Equal([b.ServerId], a.Servers);
        Assert.Equal([a.ServerId], b.Servers);

        // b's clock stands still: its heartbeats stop. a's own heartbeats go on and change nothing.
        timeA.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(left);
        timeA.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([b.ServerId], left);
        Assert.Empty(a.Servers);
    }

    [Fact]
    public async Task A_server_side_emit_with_ack_collects_one_answer_per_other_server_or_times_out_with_those_that_came()
    {
        var time = new FakeTimeProvider();
        var a = _cluster.AddServer(time);
        var b = _cluster.AddServer(time);
        var c = _cluster.AddServer(time);
        b.OnServerSideEmit("ping", e => e.Ack("b"));
        c.OnServerSideEmit("ping", e => e.Ack(new { server = "c" }));

        var answers = await a.ServerSideEmitWithAckAsync("ping", []).WithTimeout();
        Assert.Equal(["\"b\"", """{"server":"c"}"""], answers.Select(x => x.GetRawText()).Order(StringComparer.Ordinal));

        _cluster.DropResponse = r => r.ServerId == Adapter(c).ServerId;
        var pending = a.ServerSideEmitWithAckAsync("ping", [], TimeSpan.FromSeconds(2));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        var timedOut = await Assert.ThrowsAsync<ServerSideEmitTimeoutException>(() => pending.WithTimeout());
        Assert.Equal("\"b\"", Assert.Single(timedOut.Responses).GetRawText());
    }

    [Fact]
    public async Task A_broadcast_with_acks_completes_when_every_server_has_reported_its_clients_and_times_out_if_one_does_not()
    {
        var time = new FakeTimeProvider();
        var a = _cluster.AddServer(time);
        _cluster.AddServer(time);
        var c = Adapter(_cluster.AddServer(time));

        // No server has clients: each reports zero, and that is complete.
        Assert.Empty(await a.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("q").WithTimeout());

        // c's report is lost: a waits for it until the timeout.
        _cluster.DropResponse = r => r.Type == ClusterMessageType.BroadcastClientCount && r.ServerId == c.ServerId;
        var pending = a.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("q");
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty((await Assert.ThrowsAsync<BroadcastAckTimeoutException>(() => pending.WithTimeout())).Responses);
    }

    [Fact]
    public async Task Local_operations_stay_on_their_server_and_the_others_go_to_every_server()
    {
        var time = new FakeTimeProvider();
        var a = _cluster.AddServer(time);
        var b = _cluster.AddServer(time);
        var heard = new List<string>();
        b.OnServerSideEmit("note", e => heard.Add(e.Arguments.Get<string>(0)!));
        var before = _cluster.Published;

        a.Local.Emit("x");
        a.Local.SocketsJoin("r");
        a.Local.DisconnectSockets();
        Assert.Empty(await a.Local.FetchSocketsAsync().WithTimeout());
        Assert.Equal(before, _cluster.Published);

        a.Emit("x");
        a.SocketsJoin("r");
        a.ServerSideEmit("note", "hello");
        Assert.Equal(before + 3, _cluster.Published);
        Assert.Equal(["hello"], heard);
        Assert.Empty(await a.FetchSocketsAsync().WithTimeout());
    }

    [Fact]
    public void A_lost_link_makes_every_other_server_leave_at_once_and_they_are_back_when_it_returns()
    {
        var time = new FakeTimeProvider();
        var a = Adapter(_cluster.AddServer(time));
        var b = Adapter(_cluster.AddServer(time));
        var events = new List<string>();
        a.ServerLeft += id => events.Add("left " + (id == b.ServerId ? "b" : id));
        a.ServerJoined += id => events.Add("joined " + (id == b.ServerId ? "b" : id));

        ((LoopbackAdapter)a).GoOffline();
        Assert.Empty(a.Servers);
        ((LoopbackAdapter)a).ComeBack();
        Assert.Equal(["left b", "joined b"], events);
        Assert.Equal([b.ServerId], a.Servers);
    }

    [Fact]
    public void Messages_from_the_emitter_and_from_this_server_itself_do_not_make_servers()
    {
        var time = new FakeTimeProvider();
        var a = (LoopbackAdapter)Adapter(_cluster.AddServer(time));
        a.Receive(new ClusterMessage { Type = ClusterMessageType.Heartbeat, ServerId = ClusterAdapter.EmitterId, Namespace = "/" });
        a.Receive(new ClusterMessage { Type = ClusterMessageType.Heartbeat, ServerId = a.ServerId, Namespace = "/" });
        a.Receive(new ClusterMessage { Type = ClusterMessageType.Broadcast, ServerId = "not-heartbeating", Namespace = "/", Packet = null, Options = BroadcastOptions.Everyone });
        Assert.Empty(a.Servers);
    }

    [Fact]
    public async Task With_recovery_on_each_server_keeps_what_it_delivers_under_offsets_of_its_own_and_sends_the_others_none()
    {
        var time = new FakeTimeProvider();
        var a = _cluster.AddServer(time, configure: o => o.ConnectionStateRecovery = new());
        var b = _cluster.AddServer(time, configure: o => o.ConnectionStateRecovery = new());
        var crossed = new List<string>();
        _cluster.DropMessage = m =>
        {
            if (m.Type == ClusterMessageType.Broadcast)
            {
                crossed.Add(System.Text.Encoding.UTF8.GetString(m.Packet!.Data.Span));
            }

            return false;
        };

        a.Emit("news", 1);
        b.To("room").Emit("more", 2);

        // What crosses servers is what the application sent, as Node's servers expect it; each keeps its own log.
        Assert.Equal(["[\"news\",1]", "[\"more\",2]"], crossed);
        Assert.Equal(2, Adapter(a).Recovery!.PacketCount);
        Assert.Equal(2, Adapter(b).Recovery!.PacketCount);

        // Sessions stay with the server that kept them: sticky sessions bring a client back to it.
        Adapter(a).PersistSession(new PersistedSession("sid", "pid", ["sid"], new()));
        Assert.Null(await Adapter(b).RestoreSessionAsync("pid", "whatever"));
        Assert.Equal(1, Adapter(a).Recovery!.SessionCount);
    }

    private static ClusterAdapter Adapter(SocketIOServer server) => (ClusterAdapter)server.MainNamespace.Adapter;
}
