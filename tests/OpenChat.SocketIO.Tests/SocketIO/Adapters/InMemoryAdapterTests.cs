using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO.Adapters;

namespace OpenChat.SocketIO.Tests.SocketIO.Adapter;

/// <summary>Room membership and recipient selection of the in-process adapter.</summary>
public sealed class InMemoryAdapterTests
{
    private readonly InMemoryAdapter _adapter = new(
        new SocketIOServer(Options.Create(new SocketIOOptions()), NullLoggerFactory.Instance, TimeProvider.System).Of("/"));

    private static BroadcastOptions To(string[] rooms, params string[] except) => new(new HashSet<string>(rooms), new HashSet<string>(except));

    private string[] Selected(BroadcastOptions options) => _adapter.Sockets(options).Order(StringComparer.Ordinal).ToArray();

    private static string[] Sorted(IEnumerable<string> values) => values.Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void A_new_adapter_has_no_rooms_and_no_sockets()
    {
        Assert.Equal(0, _adapter.RoomCount);
        Assert.Empty(_adapter.Sockets(BroadcastOptions.Everyone));
        Assert.Empty(_adapter.SocketRooms("nobody"));
    }

    [Fact]
    public void Joining_rooms_records_them_for_the_socket_and_creates_each_room_once()
    {
        _adapter.AddAll("s1", ["s1", "lobby"]);
        _adapter.AddAll("s2", ["s2", "lobby"]);

        Assert.Equal(["lobby", "s1"], Sorted(_adapter.SocketRooms("s1")));
        Assert.Equal(["lobby", "s2"], Sorted(_adapter.SocketRooms("s2")));
        Assert.Equal(3, _adapter.RoomCount);
        Assert.Equal(["s1", "s2"], Selected(To(["lobby"])));
    }

    [Fact]
    public void Joining_a_room_twice_changes_nothing()
    {
        _adapter.AddAll("s1", ["a"]);
        _adapter.AddAll("s1", ["a", "a"]);

        Assert.Equal(["a"], Sorted(_adapter.SocketRooms("s1")));
        Assert.Equal(1, _adapter.RoomCount);
        Assert.Equal(["s1"], Selected(To(["a"])));
    }

    [Fact]
    public void Room_names_are_case_sensitive()
    {
        _adapter.AddAll("s1", ["Room"]);
        _adapter.AddAll("s2", ["room"]);

        Assert.Equal(2, _adapter.RoomCount);
        Assert.Equal(["s1"], Selected(To(["Room"])));
    }

    [Fact]
    public void Leaving_a_room_removes_the_socket_from_it()
    {
        _adapter.AddAll("s1", ["s1", "a"]);
        _adapter.AddAll("s2", ["s2", "a"]);

        _adapter.Delete("s1", "a");

        Assert.Equal(["s1"], Sorted(_adapter.SocketRooms("s1")));
        Assert.Equal(["s2"], Selected(To(["a"])));
        Assert.Equal(3, _adapter.RoomCount);
    }

    [Fact]
    public void Leaving_the_last_member_deletes_the_room()
    {
        _adapter.AddAll("s1", ["a"]);

        _adapter.Delete("s1", "a");

        Assert.Equal(0, _adapter.RoomCount);
        Assert.Empty(_adapter.Sockets(To(["a"])));
    }

    [Fact]
    public void Leaving_a_room_one_is_not_in_or_as_an_unknown_socket_changes_nothing()
    {
        _adapter.AddAll("s1", ["a"]);

        _adapter.Delete("s1", "b");
        _adapter.Delete("ghost", "a");
        _adapter.DeleteAll("ghost");

        Assert.Equal(1, _adapter.RoomCount);
        Assert.Equal(["s1"], Selected(To(["a"])));
    }

    [Fact]
    public void Several_rooms_select_the_union_of_their_members_without_duplicates()
    {
        _adapter.AddAll("s1", ["a"]);
        _adapter.AddAll("s2", ["a", "b"]);
        _adapter.AddAll("s3", ["b"]);
        _adapter.AddAll("s4", ["c"]);

        var selected = _adapter.Sockets(To(["a", "b"]));

        Assert.Equal(3, selected.Count);
        Assert.Equal(["s1", "s2", "s3"], Sorted(selected));
    }

    [Fact]
    public void A_room_nobody_is_in_selects_nobody()
    {
        _adapter.AddAll("s1", ["a"]);
        Assert.Empty(_adapter.Sockets(To(["missing"])));
    }

    [Fact]
    public void Except_removes_the_members_of_the_excluded_rooms()
    {
        _adapter.AddAll("s1", ["s1", "a"]);
        _adapter.AddAll("s2", ["s2", "a", "muted"]);
        _adapter.AddAll("s3", ["s3", "a"]);

        Assert.Equal(["s1", "s3"], Selected(To(["a"], "muted")));
        Assert.Equal(["s3"], Selected(To(["a"], "muted", "s1")));
        Assert.Equal(["s1", "s2", "s3"], Selected(To(["a"], "no-such-room")));
    }

    [Fact]
    public void Everyone_selects_every_socket_with_a_room()
    {
        _adapter.AddAll("s1", ["s1"]);
        _adapter.AddAll("s2", ["s2", "x"]);
        _adapter.AddAll("s3", ["s3"]);

        Assert.Equal(["s1", "s2", "s3"], Selected(BroadcastOptions.Everyone));
    }

    [Fact]
    public void Everyone_except_a_room_leaves_out_its_members()
    {
        _adapter.AddAll("s1", ["s1", "x"]);
        _adapter.AddAll("s2", ["s2"]);
        _adapter.AddAll("s3", ["s3", "x"]);

        Assert.Equal(["s2"], Selected(To([], "x")));
        Assert.Equal(["s1", "s3"], Selected(To([], "s2")));
    }

    [Fact]
    public void Leaving_every_room_forgets_the_socket_and_removes_rooms_left_empty()
    {
        _adapter.AddAll("s1", ["s1", "a", "b"]);
        _adapter.AddAll("s2", ["s2", "b"]);

        _adapter.DeleteAll("s1");

        Assert.Empty(_adapter.SocketRooms("s1"));
        Assert.Equal(2, _adapter.RoomCount);
        Assert.Equal(["s2"], Selected(BroadcastOptions.Everyone));
        Assert.Equal(["s2"], Selected(To(["b"])));

        _adapter.DeleteAll("s2");

        Assert.Equal(0, _adapter.RoomCount);
        Assert.Empty(_adapter.Sockets(BroadcastOptions.Everyone));
    }

    [Fact]
    public void The_rooms_of_a_socket_are_a_snapshot()
    {
        _adapter.AddAll("s1", ["a"]);
        var before = _adapter.SocketRooms("s1");

        _adapter.AddAll("s1", ["b"]);
        _adapter.Delete("s1", "a");

        Assert.Equal(["a"], Sorted(before));
        Assert.Equal(["b"], Sorted(_adapter.SocketRooms("s1")));
    }

    [Fact]
    public void Broadcasting_to_sockets_that_are_not_connected_sends_nothing_and_does_not_throw()
    {
        _adapter.AddAll("s1", ["a"]);
        var exception = Record.Exception(() => _adapter.Broadcast(PacketFactory.Disconnect("/"), BroadcastOptions.Everyone));
        Assert.Null(exception);
    }

    [Fact]
    public async Task Concurrent_joins_and_leaves_leave_consistent_rooms()
    {
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                var id = $"s{w}-{i}";
                _adapter.AddAll(id, [id, "shared", $"r{i % 5}"]);
                if (i % 2 == 0)
                {
                    _adapter.DeleteAll(id);
                }
            }
        }));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(8 * 250, _adapter.Sockets(BroadcastOptions.Everyone).Count);
        Assert.Equal(8 * 250, _adapter.Sockets(To(["shared"])).Count);
        // Own rooms of the 2000 remaining sockets, "shared", and r0..r4 (odd i cover every remainder of 5).
        Assert.Equal((8 * 250) + 1 + 5, _adapter.RoomCount);
    }

    [Fact]
    public void Room_events_follow_node_create_join_leave_delete_in_order()
    {
        var events = new List<string>();
        _adapter.RoomCreated += room => events.Add($"create-room {room}");
        _adapter.RoomJoined += (room, id) => events.Add($"join-room {room} {id}");
        _adapter.RoomLeft += (room, id) => events.Add($"leave-room {room} {id}");
        _adapter.RoomDeleted += room => events.Add($"delete-room {room}");

        _adapter.AddAll("s1", ["s1", "a"]);
        _adapter.AddAll("s2", ["a"]);
        _adapter.AddAll("s2", ["a"]);
        _adapter.Delete("s1", "a");
        _adapter.DeleteAll("s2");

        Assert.Equal(
            [
                "create-room s1", "join-room s1 s1", "create-room a", "join-room a s1",
                "join-room a s2",
                "leave-room a s1",
                "leave-room a s2", "delete-room a",
            ],
            events);
    }
}
