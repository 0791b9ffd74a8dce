using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenChat.Chat;
using OpenChat.SocketIO;

namespace OpenChat.Tests.Chat;

public sealed class PresenceByteBudgetTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(150);

    private readonly FakeTimeProvider _time = new();
    private readonly UserDirectory _users = new();

    [Fact]
    public void A_small_room_keeps_the_configured_window()
    {
        using var presence = Create(bytesPerSecond: 100_000_000);
        AddClassicUsers(100);
        Assert.Equal(Window, presence.CurrentWindow());
    }

    [Fact]
    public void Long_lists_to_many_original_clients_stretch_the_window_to_the_byte_budget()
    {
        // 1 000 "Guest" entries are 5 + 3 bytes each, plus the brackets: 8 002 bytes to 1 000 clients is
        // 8 002 000 bytes per update; at 1 MB/s that is one update every 8.002 s.
        using var presence = Create(bytesPerSecond: 1_000_000);
        AddClassicUsers(1000);
        Assert.Equal(TimeSpan.FromSeconds(8.002), presence.CurrentWindow());
    }

    [Fact]
    public void Rich_clients_do_not_count_as_list_recipients()
    {
        using var presence = Create(bytesPerSecond: 1_000);
        for (var i = 0; i < 1000; i++)
        {
            _users.Add(new ChatUser($"r{i}", "Rita", IsRich: true));
        }

        Assert.Equal(Window, presence.CurrentWindow());
    }

    [Fact]
    public void Changes_wait_for_the_stretched_window()
    {
        using var presence = Create(bytesPerSecond: 1_000_000);
        AddClassicUsers(1000);
        presence.Joined(_users.Add(new ChatUser("late", "Guest", IsRich: false)));
        Assert.Equal(1, presence.UpdatesSent);

        presence.Joined(_users.Add(new ChatUser("later", "Guest", IsRich: false)));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, presence.UpdatesSent);

        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(2, presence.UpdatesSent);
    }

    [Fact]
    public void A_budget_of_zero_turns_the_cap_off()
    {
        using var presence = Create(bytesPerSecond: 0);
        AddClassicUsers(1000);
        Assert.Equal(Window, presence.CurrentWindow());
    }

    private PresenceBroadcaster Create(long bytesPerSecond)
    {
        var io = new SocketIOServer(Options.Create(new SocketIOOptions()), NullLoggerFactory.Instance, _time);
        var options = new ChatOptions { PresenceWindow = Window, PresenceBytesPerSecond = bytesPerSecond };
        return new PresenceBroadcaster(io, _users, Options.Create(options), _time);
    }

    private void AddClassicUsers(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _users.Add(new ChatUser($"s{i}", InputRules.DefaultName, IsRich: false));
        }
    }
}
