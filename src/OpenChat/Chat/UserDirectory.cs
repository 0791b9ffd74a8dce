namespace OpenChat.Chat;

/// <summary>
/// The <c>sid → user</c> map of the original server, kept in join order and safe for concurrent connects,
/// renames and leaves. In a cluster it also holds the users of the other servers (see
/// <see cref="Cluster.ClusterPresence"/>), so lists carry everyone. Lists are built in one pass, without
/// sorting: every newcomer asks for one, so at thousands of users this runs thousands of times.
/// </summary>
public sealed class UserDirectory
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, ChatUser> _byId = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(long JoinedAt, string Server, long Order), ChatUser> _byOrder = new(Comparer<(long JoinedAt, string Server, long Order)>.Create(static (a, b) =>
        a.JoinedAt != b.JoinedAt ? a.JoinedAt.CompareTo(b.JoinedAt)
        : string.CompareOrdinal(a.Server, b.Server) is var byServer and not 0 ? byServer
        : a.Order.CompareTo(b.Order)));
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

    /// <summary>This server's id in the cluster, where its users sort among the others' (empty alone).</summary>
    public string LocalServer { get; set; } = string.Empty;

    /// <summary>Users of this server on the original protocol (the audience of this server's <c>usernames</c>).</summary>
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

    /// <summary>Adds a user; a user of this server gets its place in the join order, another server's keeps the one it came with.</summary>
    public ChatUser Add(ChatUser user)
    {
        lock (_sync)
        {
            var placed = user.IsLocal ? user with { Order = ++_joined } : user;
            if (_byId.Remove(user.Id, out var previous))
            {
                Forget(previous);
            }

            _byId[placed.Id] = placed;
            _byOrder[KeyOf(placed)] = placed;
            _version++;
            _classicCount += placed.IsRich || !placed.IsLocal ? 0 : 1;
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
            _byOrder[KeyOf(user)] = renamed;
            _namesLength += name.Length - user.Name.Length;
            _version++;
            return user.Name;
        }
    }

    /// <summary>Sets a user's picture; false when the user is gone.</summary>
    public bool SetAvatar(string id, string? avatar)
    {
        lock (_sync)
        {
            if (!_byId.TryGetValue(id, out var user))
            {
                return false;
            }

            var changed = user with { Avatar = avatar };
            _byId[id] = changed;
            _byOrder[KeyOf(user)] = changed;
            return true;
        }
    }

    /// <summary>The users of this server signed in to an account (each server looks after its own sockets).</summary>
    public ChatUser[] SignedInAs(long accountId)
    {
        lock (_sync)
        {
            return [.. _byId.Values.Where(u => u.IsLocal && u.AccountId == accountId)];
        }
    }

    /// <summary>The guests of this server whose name has this compared form (<see cref="InputRules.NameKey"/>).</summary>
    public ChatUser[] GuestsNamed(string nameKey)
    {
        lock (_sync)
        {
            return [.. _byId.Values.Where(u => u.IsLocal && !u.IsSignedIn && InputRules.NameKey(u.Name) == nameKey)];
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
                entries[i++] = new PresenceEntry(user.Id, user.Name, user.Avatar);
            }

            return entries;
        }
    }

    /// <summary>The users another server holds (or, with null, this server's own).</summary>
    public ChatUser[] UsersOf(string? server)
    {
        lock (_sync)
        {
            return [.. _byOrder.Values.Where(u => u.Server == server)];
        }
    }

    /// <summary>Removes every user another server holds; returns them.</summary>
    public ChatUser[] RemoveServer(string server)
    {
        lock (_sync)
        {
            var gone = _byOrder.Values.Where(u => u.Server == server).ToArray();
            foreach (var user in gone)
            {
                _byId.Remove(user.Id);
                Forget(user);
            }

            return gone;
        }
    }

    private (long, string, long) KeyOf(ChatUser user) => (user.JoinedAt, user.Server ?? LocalServer, user.Order);

    private void Forget(ChatUser user)
    {
        _version++;
        _byOrder.Remove(KeyOf(user));
        _classicCount -= user.IsRich || !user.IsLocal ? 0 : 1;
        _namesLength -= user.Name.Length;
    }
}
