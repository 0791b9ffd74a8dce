using System.Collections.Concurrent;

namespace OpenChat.Chat;

/// <summary>The <c>sid → user</c> map of the original server, safe for concurrent connects, renames and leaves.</summary>
public sealed class UserDirectory
{
    private readonly ConcurrentDictionary<string, ChatUser> _users = new(StringComparer.Ordinal);

    public int Count => _users.Count;

    private long _joined;

    /// <summary>Adds a user; returns it with its place in the join order.</summary>
    public ChatUser Add(ChatUser user)
    {
        var placed = user with { Order = Interlocked.Increment(ref _joined) };
        _users[user.Id] = placed;
        return placed;
    }

    public bool TryGet(string id, out ChatUser user) => _users.TryGetValue(id, out user!);

    /// <summary>Renames a user; returns the previous name, or null when the user is gone.</summary>
    public string? Rename(string id, string name)
    {
        while (_users.TryGetValue(id, out var user))
        {
            if (_users.TryUpdate(id, user with { Name = name }, user))
            {
                return user.Name;
            }
        }

        return null;
    }

    public bool Remove(string id, out ChatUser user) => _users.TryRemove(id, out user!);

    /// <summary>Every current name, as the original <c>usernames</c> event carries them.</summary>
    public string[] Names() => InJoinOrder().Select(u => u.Name).ToArray();

    /// <summary>Every current user, for a rich client's snapshot.</summary>
    public PresenceEntry[] Snapshot() => InJoinOrder().Select(u => new PresenceEntry(u.Id, u.Name)).ToArray();

    private IEnumerable<ChatUser> InJoinOrder() => _users.Values.OrderBy(u => u.Order);
}
