using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Tests.SocketIO.Adapters;

/// <summary>What connection state recovery keeps per namespace, and for how long, on a fake clock.</summary>
public sealed class RecoveryLogTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly List<string> _delivered = new();

    private RecoveryLog Log(Action<ConnectionStateRecoveryOptions>? configure = null)
    {
        var options = new ConnectionStateRecoveryOptions();
        configure?.Invoke(options);
        return new RecoveryLog(options, _time);
    }

    private void Send(RecoveryLog log, string name, BroadcastOptions? options = null) =>
        log.Broadcast(Event(name), options ?? BroadcastOptions.Everyone, _delivered, static (p, _, d) => d.Add(Text(p)));

    private static EncodedPacket Event(string name) =>
        EncodedPacket.Create(SocketPacketType.Event, "/", null, Encoding.UTF8.GetBytes($"[\"{name}\"]"), []);

    private static string Text(EncodedPacket packet) => Encoding.UTF8.GetString(packet.Frames[0].Bytes.Span);

    private static PersistedSession Session(string pid, params string[] rooms) => new("sid-" + pid, pid, rooms, new ConcurrentDictionary<string, object?>());

    /// <summary>The offset of a delivered packet: what a client would send back.</summary>
    private string OffsetOf(int delivered) => RecoveryClientText.Offset(_delivered[delivered]);

    [Fact]
    public void Offsets_are_yeast_ids_of_the_server_clock_with_a_counter_within_one_millisecond()
    {
        var log = Log();

        Send(log, "a");
        Send(log, "b");
        Send(log, "c");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Send(log, "d");

        // 1 700 000 000 000 ms is "OlFvMW0" in yeast's alphabet (as socket.io-adapter's yeast.encode gives it).
        Assert.Equal(["42[\"a\",\"OlFvMW0\"]", "42[\"b\",\"OlFvMW0.0\"]", "42[\"c\",\"OlFvMW0.1\"]", "42[\"d\",\"OlFvMW1\"]"], _delivered);
    }

    [Fact]
    public void A_clock_that_steps_back_keeps_the_offsets_increasing()
    {
        var clock = new SettableClock { Now = _time.GetUtcNow() };
        using var log = new RecoveryLog(new ConnectionStateRecoveryOptions(), clock);
        Send(log, "a");

        clock.Now = clock.Now.AddSeconds(-5);
        Send(log, "b");

        Assert.Equal("OlFvMW0.0", OffsetOf(1));
        log.Persist(Session("p"));
        Assert.Equal(["42[\"b\",\"OlFvMW0.0\"]"], log.Restore("p", OffsetOf(0))!.MissedPackets.Select(Text));
    }

    [Fact]
    public void Restoring_replays_only_what_the_session_s_rooms_would_have_received_as_node_selects_it()
    {
        var log = Log();
        Send(log, "seen");
        Send(log, "everyone");
        Send(log, "room a", new BroadcastOptions(["a"]));
        Send(log, "room b", new BroadcastOptions(["b"]));
        Send(log, "a or b", new BroadcastOptions(["a", "b"]));
        Send(log, "except a", new BroadcastOptions(except: ["a"]));
        Send(log, "except its id", new BroadcastOptions(except: ["sid-p"]));
        Send(log, "to its id", new BroadcastOptions(["sid-p"]));
        log.Persist(Session("p", "sid-p", "a"));

        var restored = log.Restore("p", OffsetOf(0))!;

        Assert.Equal(["everyone", "room a", "a or b", "to its id"], restored.MissedPackets.Select(p => Text(p).Split('"')[1]));
        Assert.Equal("sid-p", restored.Id);
        Assert.Equal(["sid-p", "a"], restored.Rooms);
        Assert.Equal(OffsetOf(0), restored.Offset);
    }

    [Fact]
    public void The_sweep_drops_packets_and_sessions_older_than_MaxDisconnectionDuration()
    {
        var log = Log(o => o.MaxDisconnectionDuration = TimeSpan.FromMinutes(2));
        Send(log, "old");
        log.Persist(Session("old"));
        _time.Advance(TimeSpan.FromSeconds(90));
        Send(log, "recent");
        log.Persist(Session("recent"));

        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(1, log.PacketCount);
        Assert.Equal(1, log.SessionCount);
        Assert.Null(log.Restore("old", OffsetOf(0)));
        Assert.Equal([], log.Restore("recent", OffsetOf(1))!.MissedPackets);
    }

    [Fact]
    public void Beyond_MaxSessions_the_session_disconnected_longest_ago_is_dropped()
    {
        var log = Log(o => o.MaxSessions = 2);
        Send(log, "x");
        log.Persist(Session("1"));
        log.Persist(Session("2"));
        log.Persist(Session("1"));
        log.Persist(Session("3"));

        Assert.Equal(2, log.SessionCount);
        Assert.Null(log.Restore("2", OffsetOf(0)));
        Assert.NotNull(log.Restore("1", OffsetOf(0)));
        Assert.NotNull(log.Restore("3", OffsetOf(0)));
    }

    [Fact]
    public void A_packet_larger_than_MaxRetainedBytes_is_not_kept_and_sessions_that_missed_it_fail()
    {
        var log = Log(o => o.MaxRetainedBytes = 100);
        Send(log, "small");
        log.Persist(Session("p"));

        Send(log, new string('x', 200));

        Assert.Equal(0, log.PacketCount);
        Assert.Equal(0, log.PacketBytes);
        Assert.Equal(2, _delivered.Count);
        Assert.Null(log.Restore("p", OffsetOf(0)));
    }

    [Fact]
    public void A_session_that_cannot_be_recovered_is_dropped_at_once()
    {
        var log = Log();
        Send(log, "a");
        log.Persist(Session("p"));

        Assert.Null(log.Restore("p", "nonsense"));
        Assert.Equal(0, log.SessionCount);
    }
}

/// <summary>A wall clock a test sets, backwards too (as NTP may step one).</summary>
internal sealed class SettableClock : TimeProvider
{
    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Reading an offset out of a packet's text, as a client does.</summary>
internal static class RecoveryClientText
{
    public static string Offset(string packet)
    {
        using var document = System.Text.Json.JsonDocument.Parse(packet[2..]);
        var data = document.RootElement;
        return data[data.GetArrayLength() - 1].GetString()!;
    }
}
