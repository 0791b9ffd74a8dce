namespace OpenChat.Chat;

/// <summary>
/// The <c>sid → user</c> map of the original server, kept in join order and safe for concurrent connects,
/// renames and leaves. Lists are built in one pass, without sorting: every newcomer asks for one, so at
/// thousands of users this runs thousands of times.
/// </summary>
public sealed class UserDirectory
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, ChatUser> _byId = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, ChatUser> _byOrder = new();
    private long _joined;
    private int _classicCount;
    private long _namesLength;
    private long _version;

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>Users on the original protocol (the audience of <c>usernames</c>).</summary>
    public int ClassicCount
    {
        get
        {
            lock (_sync)
            {
                return _classicCount;
            }
        }
    }

    /// <summary>Characters in all current names together: the size of a <c>usernames</c> list, roughly.</summary>
    public long NamesLength
    {
        get
        {
            lock (_sync)
            {
                return _namesLength;
            }
        }
    }

    /// <summary>Adds a user; returns it with its place in the join order.</summary>
    public ChatUser Add(ChatUser user)
    {
        lock (_sync)
        {
            var placed = user with { Order = ++_joined };
            if (_byId.Remove(user.Id, out var previous))
            {
                Forget(previous);
            }

            _byId[placed.Id] = placed;
            _byOrder[placed.Order] = placed;
            _version++;
            _classicCount += placed.IsRich ? 0 : 1;
            _namesLength += placed.Name.Length;
            return placed;
        }
    }

    public bool TryGet(string id, out ChatUser user)
    {
        lock (_sync)
        {
            return _byId.TryGetValue(id, out user!);
        }
    }

    /// <summary>Renames a user; returns the previous name, or null when the user is gone.</summary>
    public string? Rename(string id, string name)
    {
        lock (_sync)
        {
            if (!_byId.TryGetValue(id, out var user))
            {
                return null;
            }

            var renamed = user with { Name = name };
            _byId[id] = renamed;
            _byOrder[user.Order] = renamed;
            _namesLength += name.Length - user.Name.Length;
            _version++;
            return user.Name;
        }
    }

    public bool Remove(string id, out ChatUser user)
    {
        lock (_sync)
        {
            if (!_byId.Remove(id, out user!))
            {
                return false;
            }

            Forget(user);
            return true;
        }
    }

    /// <summary>Every current name, as the original <c>usernames</c> event carries them.</summary>
    public string[] Names() => Names(out _);

    /// <summary>Every current name, and the version of the list (it changes with every join, rename and leave).</summary>
    public string[] Names(out long version)
    {
        lock (_sync)
        {
            version = _version;
            var names = new string[_byOrder.Count];
            var i = 0;
            foreach (var user in _byOrder.Values)
            {
                names[i++] = user.Name;
            }

            return names;
        }
    }

    /// <summary>Every current user, for a rich client's snapshot.</summary>
    public PresenceEntry[] Snapshot()
    {
        lock (_sync)
        {
            var entries = new PresenceEntry[_byOrder.Count];
            var i = 0;
            foreach (var user in _byOrder.Values)
            {
                entries[i++] = new PresenceEntry(user.Id, user.Name);
            }

            return entries;
        }
    }

    private void Forget(ChatUser user)
    {
        _version++;
        _byOrder.Remove(user.Order);
        _classicCount -= user.IsRich ? 0 : 1;
        _namesLength -= user.Name.Length;
    }
}
