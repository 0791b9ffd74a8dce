using OpenChat.Chat;

namespace OpenChat.Tests.Chat;

public sealed class UserDirectoryTests
{
    private readonly UserDirectory _users = new();

    [Fact]
    public void Names_come_in_join_order()
    {
        _users.Add(new ChatUser("b", "Bea", false));
        _users.Add(new ChatUser("a", "Ana", true));
        _users.Add(new ChatUser("c", "Cy", false));
        Assert.Equal(["Bea", "Ana", "Cy"], _users.Names());
        Assert.Equal([new PresenceEntry("b", "Bea"), new PresenceEntry("a", "Ana"), new PresenceEntry("c", "Cy")], _users.Snapshot());
    }

    [Fact]
    public void Two_users_may_share_a_name()
    {
        _users.Add(new ChatUser("1", "Sam", false));
        _users.Add(new ChatUser("2", "Sam", false));
        Assert.Equal(["Sam", "Sam"], _users.Names());
        Assert.Equal(2, _users.Count);
    }

    [Fact]
    public void A_rename_keeps_the_place_in_the_list_and_returns_the_previous_name()
    {
        _users.Add(new ChatUser("1", "Guest", false));
        _users.Add(new ChatUser("2", "Guest", false));
        Assert.Equal("Guest", _users.Rename("1", "Ana"));
        Assert.Equal(["Ana", "Guest"], _users.Names());
        Assert.True(_users.TryGet("1", out var user));
        Assert.Equal("Ana", user.Name);
    }

    [Fact]
    public void Renaming_someone_who_left_returns_null()
    {
        Assert.Null(_users.Rename("gone", "Ana"));
        Assert.Empty(_users.Names());
    }

    [Fact]
    public void Removing_a_user_returns_it_and_takes_its_name_off_the_list()
    {
        _users.Add(new ChatUser("1", "Ana", false));
        _users.Add(new ChatUser("2", "Bea", false));
        Assert.True(_users.Remove("1", out var gone));
        Assert.Equal("Ana", gone.Name);
        Assert.False(_users.Remove("1", out _));
        Assert.Equal(["Bea"], _users.Names());
    }

    [Fact]
    public void Concurrent_joins_renames_and_leaves_leave_a_consistent_list()
    {
        Parallel.For(0, 1000, i =>
        {
            var id = $"s{i}";
            _users.Add(new ChatUser(id, "Guest", false));
            _users.Rename(id, $"u{i}");
            if (i % 4 == 0)
            {
                _users.Remove(id, out _);
            }
        });

        Assert.Equal(750, _users.Count);
        var expected = Enumerable.Range(0, 1000).Where(i => i % 4 != 0).Select(i => $"u{i}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, _users.Names().Order(StringComparer.Ordinal));
        Assert.Equal(_users.Snapshot().Select(u => u.Id).Distinct().Count(), _users.Count);
    }
}
