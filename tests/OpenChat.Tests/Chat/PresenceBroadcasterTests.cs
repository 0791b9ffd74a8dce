using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenChat.Chat;
using OpenChat.SocketIO;

namespace OpenChat.Tests.Chat;

public sealed class PresenceBroadcasterTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(150);

    private readonly FakeTimeProvider _time = new();
    private RecordingAdapter _adapter = null!;
    private readonly UserDirectory _users = new();
    private readonly PresenceBroadcaster _presence;
    private int _next;

    public PresenceBroadcasterTests()
    {
        var io = new SocketIOServer(Options.Create(new SocketIOOptions { AdapterFactory = ns => _adapter = new RecordingAdapter(ns) }), NullLoggerFactory.Instance, _time);
        _presence = new PresenceBroadcaster(io, _users, Options.Create(new ChatOptions { PresenceWindow = Window, SystemLinesPerWindow = 3 }), _time);
    }

    public void Dispose() => _presence.Dispose();

    [Fact]
    public void A_change_after_a_quiet_spell_goes_out_at_once()
    {
        Join();
        Assert.Equal(1, _presence.UpdatesSent);
        Assert.Equal(1, _adapter.CountTo(ChatEvents.ClassicRoom));
    }

    [Fact]
    public void Changes_within_a_window_wait_for_its_end_and_go_out_as_one_update()
    {
        Join();
        for (var i = 0; i < 20; i++)
        {
            Join();
        }

        Assert.Equal(1, _presence.UpdatesSent);
        _time.Advance(Window - TimeSpan.FromTicks(1));
        Assert.Equal(1, _presence.UpdatesSent);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(2, _presence.UpdatesSent);
        Assert.Equal(2, _adapter.CountTo(ChatEvents.ClassicRoom));

        _time.Advance(Window * 10);
        Assert.Equal(2, _presence.UpdatesSent);
    }

    [Fact]
    public void There_is_at_most_one_update_per_window_under_a_steady_stream_of_changes()
    {
        // A join every 10 ms for 3 s of fake time: 300 changes.
        for (var i = 0; i < 300; i++)
        {
            Join();
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        _time.Advance(Window);
        var windows = (int)Math.Ceiling(TimeSpan.FromSeconds(3) / Window) + 1;
        Assert.InRange(_presence.UpdatesSent, 2, windows);
        Assert.Equal(_presence.UpdatesSent, _adapter.CountTo(ChatEvents.ClassicRoom));
    }

    [Fact]
    public void A_change_after_a_quiet_window_goes_out_at_once_again()
    {
        Join();
        _time.Advance(Window);
        Join();
        Assert.Equal(2, _presence.UpdatesSent);
    }

    [Fact]
    public void Many_joins_in_one_window_make_a_single_system_line()
    {
        Join();
        _adapter.Clear();
        for (var i = 0; i < 10; i++)
        {
            Join();
        }

        _time.Advance(Window);

        // One presence_delta and one summary line for the rich clients.
        Assert.Equal(2, _adapter.CountTo(ChatEvents.RichRoom));
        Assert.Equal(1, _adapter.CountTo(ChatEvents.ClassicRoom));
    }

    [Fact]
    public void Up_to_the_limit_each_join_gets_its_own_system_line()
    {
        Join();
        _adapter.Clear();
        for (var i = 0; i < 3; i++)
        {
            Join();
        }

        _time.Advance(Window);
        Assert.Equal(1 + 3, _adapter.CountTo(ChatEvents.RichRoom));
    }

    [Fact]
    public void Joins_renames_and_leaves_of_one_window_are_summarized_separately()
    {
        var present = Enumerable.Range(0, 5).Select(_ => Join()).ToList();
        _time.Advance(Window);
        _adapter.Clear();
        Enumerable.Range(0, 5).Select(_ => Join()).ToList();
        foreach (var user in present)
        {
            _presence.Renamed(user.Id, user.Name, "Renamed");
        }

        _presence.Left(present[0]);
        _time.Advance(Window);

        // delta + "5 people joined" + "5 people changed their names" + one leave line.
        Assert.Equal(4, _adapter.CountTo(ChatEvents.RichRoom));
    }

    [Fact]
    public void A_thousand_renames_of_one_person_in_a_window_make_one_line()
    {
        // The join goes out at once; the renames right after it wait for the window.
        var user = Join();
        _adapter.Clear();
        for (var i = 0; i < 1000; i++)
        {
            _presence.Renamed(user.Id, $"n{i}", $"n{i + 1}");
        }

        _time.Advance(Window);

        // delta + "n0 is now n1000": one person, one line.
        Assert.Equal(2, _adapter.CountTo(ChatEvents.RichRoom));
    }

    [Fact]
    public void Renaming_and_renaming_back_in_one_window_makes_no_line()
    {
        var user = Join();
        _adapter.Clear();
        _presence.Renamed(user.Id, "Guest", "Ana");
        _presence.Renamed(user.Id, "Ana", "Guest");
        _time.Advance(Window);

        // Only the delta (its rename entry is harmless: the same name).
        Assert.Equal(1, _adapter.CountTo(ChatEvents.RichRoom));
    }

    private ChatUser Join()
    {
        var user = _users.Add(new ChatUser($"s{_next++}", InputRules.DefaultName, false));
        _presence.Joined(user);
        return user;
    }
}
