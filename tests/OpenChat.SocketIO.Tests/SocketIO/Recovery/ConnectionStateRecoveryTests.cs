using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO.Recovery;

/// <summary>
/// Connection state recovery on the wire, written and read by hand: the pid of the CONNECT reply, the offsets of
/// broadcasts, and a client coming back with both (or failing to, and starting a new session).
/// </summary>
public sealed class ConnectionStateRecoveryTests
{
    private const string Offset = "[0-9A-Za-z_-]+(\\.[0-9A-Za-z_-]+)?";

    private readonly ServerSockets _sockets = new();

    private Task<TestHost> StartAsync(Action<ConnectionStateRecoveryOptions>? recovery = null, Action<SocketIOServer>? more = null, TimeProvider? time = null, bool on = true) =>
        TestHost.StartAsync(
            configure: o =>
            {
                if (on)
                {
                    o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions();
                    recovery?.Invoke(o.ConnectionStateRecovery);
                }
            },
            handlers: io =>
            {
                more?.Invoke(io);
                io.On("connection", socket =>
                {
                    if (!socket.Recovered)
                    {
                        socket.Join("room1");
                        socket.Data["name"] = "Ana";
                    }

                    _sockets.Track(socket);
                });
            },
            services: s =>
            {
                if (time is not null)
                {
                    s.AddSingleton(time);
                }
            });

    /// <summary>What the main namespace keeps for recovery.</summary>
    private static RecoveryLog Kept(TestHost host) => ((InMemoryAdapter)host.IO.MainNamespace.Adapter).Recovery!;

    /// <summary>Connects, receives one broadcast (so it holds an offset), and loses its connection.</summary>
    private async Task<(string Sid, string Pid, string Offset, SocketIOSocket Server)> ConnectAndDropAsync(TestHost host)
    {
        await using var client = await RecoveryClient.ConnectAsync(host);
        var socket = await _sockets.NextAsync();
        host.IO.Emit("before", 1);
        var offset = RecoveryClient.OffsetOf(await client.ReceiveEventAsync());
        await client.DisposeAsync();
        Assert.Equal(DisconnectReasons.TransportClose, await _sockets.DisconnectedAsync(socket));
        return (client.Sid, client.Pid!, offset, socket);
    }

    [Fact]
    public async Task With_recovery_off_as_by_default_the_connect_reply_has_no_pid_and_broadcasts_no_offset()
    {
        await using var host = await StartAsync(on: false);
        await using var client = await RecoveryClient.ConnectAsync(host);
        await _sockets.NextAsync();

        host.IO.Emit("hello", 1, "two");

        Assert.Matches("^40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"\\}$", client.Reply);
        Assert.Equal("42[\"hello\",1,\"two\"]", await client.Ws.ReceiveTextAsync());
        Assert.Null(host.IO.Options.ConnectionStateRecovery);
    }

    [Fact]
    public async Task With_recovery_on_the_connect_reply_carries_a_private_id_and_kept_events_an_offset_as_their_last_argument()
    {
        await using var host = await StartAsync();
        await using var client = await RecoveryClient.ConnectAsync(host);
        var socket = await _sockets.NextAsync();

        host.IO.Emit("hello", 1, new { x = "y" });
        host.IO.To("room1").Emit("room");
        socket.Emit("direct", "text");
        host.IO.MainNamespace.NewOperator().Volatile.Emit("volatile", 2);
        var asked = host.IO.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("asked");

        Assert.Matches("^40\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"pid\":\"[A-Za-z0-9_-]{20}\"\\}$", client.Reply);
        Assert.Equal(socket.Id, client.Sid);
        Assert.NotEqual(client.Sid, client.Pid);
        Assert.Matches($"^42\\[\"hello\",1,\\{{\"x\":\"y\"\\}},\"{Offset}\"\\]$", await client.Ws.ReceiveTextAsync());
        Assert.Matches($"^42\\[\"room\",\"{Offset}\"\\]$", await client.Ws.ReceiveTextAsync());

        // As in Node: the socket's own emits are kept too (they go to its own room); a volatile broadcast and a
        // broadcast waiting for acks are not, and carry no offset.
        Assert.Matches($"^42\\[\"direct\",\"text\",\"{Offset}\"\\]$", await client.Ws.ReceiveTextAsync());
        Assert.Equal("42[\"volatile\",2]", await client.Ws.ReceiveTextAsync());
        Assert.Equal("420[\"asked\"]", await client.Ws.ReceiveTextAsync());
        await client.Ws.SendTextAsync("430[\"ok\"]");
        await asked.WithTimeout();
        Assert.Equal(3, Kept(host).PacketCount);
    }

    [Fact]
    public async Task A_client_back_with_its_pid_and_offset_gets_its_id_rooms_and_data_and_the_packets_it_missed_before_the_connect_reply()
    {
        await using var host = await StartAsync();
        var (sid, pid, offset, _) = await ConnectAndDropAsync(host);

        host.IO.Emit("everyone", 1);
        host.IO.To("room1").Emit("room1", 2);
        host.IO.To("room2").Emit("room2", 3);
        host.IO.Except("room1").Emit("not room1", 4);
        host.IO.To(sid).Emit("to its id", 5);
        await using var back = await RecoveryClient.ComeBackAsync(host, pid, offset);
        var socket = await _sockets.NextAsync();

        Assert.Equal($"40{{\"sid\":\"{sid}\",\"pid\":\"{pid}\"}}", back.Reply);
        Assert.Equal(["everyone", "room1", "to its id"], RecoveryClient.Names(back.Before));
        Assert.True(socket.Recovered);
        Assert.Equal(sid, socket.Id);
        Assert.Equal("Ana", socket.Data["name"]);
        Assert.Equal(new HashSet<string> { sid, "room1" }, socket.Rooms);

        // Then live, once.
        host.IO.To("room1").Emit("live", 6);
        var live = await back.ReceiveEventAsync();
        Assert.Equal("live", live[0].GetString());
        Assert.Equal(6, live[1].GetInt32());
    }

    [Fact]
    public async Task The_missed_packets_arrive_in_the_order_they_were_sent_each_once_with_their_offsets_increasing()
    {
        await using var host = await StartAsync();
        var (_, pid, offset, _) = await ConnectAndDropAsync(host);
        for (var i = 0; i < 50; i++)
        {
            host.IO.Emit("n", i);
        }

        await using var back = await RecoveryClient.ComeBackAsync(host, pid, offset);

        var data = back.Before.Select(RecoveryClient.EventData).ToList();
        Assert.Equal(Enumerable.Range(0, 50), data.Select(d => d[1].GetInt32()));
        var offsets = data.Select(RecoveryClient.OffsetOf).Prepend(offset).ToList();
        Assert.Equal(offsets.Count, offsets.Distinct().Count());
        Assert.All(offsets.Skip(1), o => Assert.Matches($"^{Offset}$", o));
    }

    [Fact]
    public async Task A_session_has_one_connection_at_a_time_and_the_latest_to_come_back_with_its_pid_has_it()
    {
        await using var host = await StartAsync();
        var (sid, pid, offset, _) = await ConnectAndDropAsync(host);
        host.IO.Emit("missed");

        await using var first = await RecoveryClient.ComeBackAsync(host, pid, offset);
        var firstSocket = await _sockets.NextAsync();
        await using var second = await RecoveryClient.ComeBackAsync(host, pid, offset);

        Assert.Equal(sid, first.Sid);
        Assert.Equal(sid, second.Sid);
        Assert.Equal(["missed"], RecoveryClient.Names(second.Before));
        Assert.Equal(DisconnectReasons.TransportClose, await _sockets.DisconnectedAsync(firstSocket));
        Assert.True((await _sockets.NextAsync()).Recovered);
        Assert.True((await first.Ws.ReceiveUntilClosedAsync()).Close.IsClose);
        Assert.Equal(1, host.IO.MainNamespace.SocketCount);
    }

    [Theory]
    [InlineData("an unknown pid")]
    [InlineData("an offset never given")]
    [InlineData("an offset that is not one")]
    [InlineData("a pid that is not a string")]
    [InlineData("no offset")]
    public async Task A_client_back_with_what_the_server_cannot_match_gets_a_new_session_and_no_replay(string what)
    {
        await using var host = await StartAsync();
        var (sid, pid, offset, _) = await ConnectAndDropAsync(host);
        host.IO.Emit("missed");
        object auth = what switch
        {
            "an unknown pid" => new { pid = "AAAAAAAAAAAAAAAAAAAA", offset },
            "an offset never given" => new { pid, offset = "zzzzzzz" },
            "an offset that is not one" => new { pid, offset = "{\"x\": 1}" },
            "a pid that is not a string" => new { pid = 12, offset },
            _ => new { pid },
        };

        await using var back = await RecoveryClient.ConnectAsync(host, auth);
        var socket = await _sockets.NextAsync();

        Assert.True(back.Connected);
        Assert.NotEqual(sid, back.Sid);
        Assert.Empty(back.Before);
        Assert.False(socket.Recovered);
        Assert.Equal(new HashSet<string> { back.Sid, "room1" }, socket.Rooms);
    }

    [Fact]
    public async Task A_session_expires_after_MaxDisconnectionDuration_on_the_server_clock()
    {
        var time = new FakeTimeProvider();
        await using var host = await StartAsync(r => r.MaxDisconnectionDuration = TimeSpan.FromSeconds(30), time: time);
        var (sid, pid, offset, _) = await ConnectAndDropAsync(host);
        var (sid2, pid2, offset2, _) = await ConnectAndDropAsync(host);

        time.Advance(TimeSpan.FromSeconds(30));
        await using var justInTime = await RecoveryClient.ComeBackAsync(host, pid, offset);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await using var tooLate = await RecoveryClient.ComeBackAsync(host, pid2, offset2);

        Assert.Equal(sid, justInTime.Sid);
        Assert.NotEqual(sid2, tooLate.Sid);
        Assert.True((await _sockets.NextAsync()).Recovered);
        Assert.False((await _sockets.NextAsync()).Recovered);
    }

    [Fact]
    public async Task Beyond_MaxRetainedPackets_the_oldest_are_dropped_and_only_a_session_that_missed_a_dropped_one_fails()
    {
        await using var host = await StartAsync(r => r.MaxRetainedPackets = 3);

        // Ana's last packet is the one about to be dropped; Ben's is older still.
        var ben = await ConnectAndDropAsync(host);
        var ana = await ConnectAndDropAsync(host);
        host.IO.Emit("1");
        host.IO.Emit("2");
        host.IO.Emit("3");
        Assert.Equal(3, Kept(host).PacketCount);

        await using var anaBack = await RecoveryClient.ComeBackAsync(host, ana.Pid, ana.Offset);
        await using var benBack = await RecoveryClient.ComeBackAsync(host, ben.Pid, ben.Offset);

        Assert.Equal(ana.Sid, anaBack.Sid);
        Assert.Equal(["1", "2", "3"], RecoveryClient.Names(anaBack.Before));
        Assert.NotEqual(ben.Sid, benBack.Sid);
        Assert.Empty(benBack.Before);
    }

    [Fact]
    public async Task Beyond_MaxRetainedBytes_the_oldest_packets_are_dropped()
    {
        await using var host = await StartAsync(r => r.MaxRetainedBytes = 300);
        var gone = await ConnectAndDropAsync(host);

        host.IO.Emit("big", new string('x', 200));
        host.IO.Emit("big", new string('y', 200));

        Assert.Equal(1, Kept(host).PacketCount);
        Assert.InRange(Kept(host).PacketBytes, 200, 300);
        await using var back = await RecoveryClient.ComeBackAsync(host, gone.Pid, gone.Offset);
        Assert.NotEqual(gone.Sid, back.Sid);
    }

    [Fact]
    public async Task Middleware_is_skipped_for_a_recovered_socket_by_default()
    {
        var runs = 0;
        await using var host = await StartAsync(more: io => io.Use(_ =>
        {
            Interlocked.Increment(ref runs);
            return ValueTask.CompletedTask;
        }));
        var (sid, pid, offset, _) = await ConnectAndDropAsync(host);

        await using var back = await RecoveryClient.ComeBackAsync(host, pid, offset);

        Assert.Equal(sid, back.Sid);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Without_SkipMiddlewares_the_middleware_runs_again_sees_the_recovered_socket_and_a_refusal_sends_nothing_it_missed()
    {
        var seen = new List<(bool Recovered, string Id, object? Name)>();
        var refuse = false;
        await using var host = await StartAsync(
            r => r.SkipMiddlewares = false,
            io => io.Use(socket =>
            {
                lock (seen)
                {
                    seen.Add((socket.Recovered, socket.Id, socket.Data.GetValueOrDefault("name")));
                }

                return refuse ? throw new ConnectionRefusedException("not any more") : ValueTask.CompletedTask;
            }));
        var ana = await ConnectAndDropAsync(host);
        var ben = await ConnectAndDropAsync(host);
        host.IO.Emit("missed");

        await using var anaBack = await RecoveryClient.ComeBackAsync(host, ana.Pid, ana.Offset);
        refuse = true;
        await using var benBack = await RecoveryClient.ComeBackAsync(host, ben.Pid, ben.Offset);

        Assert.Equal(ana.Sid, anaBack.Sid);
        Assert.Equal(["before", "missed"], RecoveryClient.Names(anaBack.Before));
        Assert.Equal("44{\"message\":\"not any more\"}", benBack.Reply);
        Assert.Empty(benBack.Before);
        Assert.Equal([(false, ana.Sid, null), (false, ben.Sid, null), (true, ana.Sid, "Ana"), (true, ben.Sid, "Ana")], seen);
    }

    [Theory]
    [InlineData(DisconnectReasons.ClientNamespaceDisconnect)]
    [InlineData(DisconnectReasons.ServerNamespaceDisconnect)]
    [InlineData(DisconnectReasons.ParseError)]
    public async Task A_disconnect_on_purpose_or_for_garbage_keeps_no_session(string reason)
    {
        await using var host = await StartAsync();
        var client = await RecoveryClient.ConnectAsync(host);
        var socket = await _sockets.NextAsync();
        host.IO.Emit("before");
        var offset = RecoveryClient.OffsetOf(await client.ReceiveEventAsync());
        switch (reason)
        {
            case DisconnectReasons.ClientNamespaceDisconnect:
                await client.Ws.SendTextAsync("41");
                break;
            case DisconnectReasons.ServerNamespaceDisconnect:
                socket.Disconnect();
                break;
            default:
                await client.Ws.SendTextAsync("4x");
                break;
        }

        Assert.Equal(reason, await _sockets.DisconnectedAsync(socket));
        await client.DisposeAsync();

        await using var back = await RecoveryClient.ComeBackAsync(host, client.Pid!, offset);
        Assert.NotEqual(client.Sid, back.Sid);
        Assert.Equal(0, Kept(host).SessionCount);
    }

    [Fact]
    public async Task A_connection_the_server_closes_keeps_its_session_and_its_client_recovers()
    {
        await using var host = await StartAsync();
        var client = await RecoveryClient.ConnectAsync(host);
        var socket = await _sockets.NextAsync();
        host.IO.Emit("before");
        var offset = RecoveryClient.OffsetOf(await client.ReceiveEventAsync());

        socket.Engine.Close();

        Assert.Equal(DisconnectReasons.ForcedClose, await _sockets.DisconnectedAsync(socket));
        await client.DisposeAsync();
        await using var back = await RecoveryClient.ComeBackAsync(host, client.Pid!, offset);
        Assert.Equal(client.Sid, back.Sid);
    }

    [Fact]
    public async Task A_client_back_on_a_new_connection_while_its_old_one_still_looks_alive_recovers_and_the_old_one_is_closed()
    {
        await using var host = await StartAsync();
        await using var old = await RecoveryClient.ConnectAsync(host);
        var socket = await _sockets.NextAsync();
        host.IO.Emit("before");
        var offset = RecoveryClient.OffsetOf(await old.ReceiveEventAsync());

        // Queued for the old connection, which its client no longer reads (a network gone without a word).
        host.IO.Emit("unread");
        await using var back = await RecoveryClient.ComeBackAsync(host, old.Pid!, offset);

        Assert.Equal(old.Sid, back.Sid);
        Assert.Equal(["unread"], RecoveryClient.Names(back.Before));
        Assert.Equal(DisconnectReasons.TransportClose, await _sockets.DisconnectedAsync(socket));
        Assert.True((await _sockets.NextAsync()).Recovered);
        var (_, end) = await old.Ws.ReceiveUntilClosedAsync();
        Assert.True(end.IsClose);
        Assert.Equal(1, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_client_back_while_its_old_socket_still_runs_its_disconnect_handler_is_admitted_after_it_in_its_rooms()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<string>();
        await using var host = await StartAsync(more: io => io.On("connection", socket =>
        {
            lock (order)
            {
                order.Add(socket.Recovered ? "recovered" : "connected");
            }

            socket.OnDisconnect(async _ =>
            {
                await release.Task;
                lock (order)
                {
                    order.Add("disconnected");
                }
            });
        }));
        var client = await RecoveryClient.ConnectAsync(host);
        var socket = await _sockets.NextAsync();
        host.IO.Emit("before");
        var offset = RecoveryClient.OffsetOf(await client.ReceiveEventAsync());
        await client.DisposeAsync();
        await host.WaitUntilAsync(() => Kept(host).SessionCount == 1);

        var back = RecoveryClient.ComeBackAsync(host, client.Pid!, offset);
        host.IO.Emit("meanwhile");
        release.SetResult();
        await using var recovered = await back.WithTimeout();

        Assert.Equal(client.Sid, recovered.Sid);
        Assert.Equal(["meanwhile"], RecoveryClient.Names(recovered.Before));

        // The recovered socket's connection handler may still be running when its client is told it is back.
        string[] Order()
        {
            lock (order)
            {
                return [.. order];
            }
        }

        await host.WaitUntilAsync(() => Order().Length == 3);
        Assert.Equal(["connected", "disconnected", "recovered"], Order());
        var again = await _sockets.NextAsync();
        Assert.Equal(new HashSet<string> { client.Sid, "room1" }, again.Rooms);
    }
}
