using Microsoft.Extensions.Options;
using OpenChat.SocketIO;

namespace OpenChat.Chat;

/// <summary>
/// Turns joins, renames and leaves into at most one update per <see cref="ChatOptions.PresenceWindow"/>:
/// original clients get the full <c>usernames</c> list, rich clients a <c>presence_delta</c>, and the
/// system lines are summarized when many people arrive at once. A change after a quiet spell goes out at
/// once; changes during a window wait for its end. Each update is encoded once for all its recipients.
/// With thousands of original clients the window stretches to keep list traffic under
/// <see cref="ChatOptions.PresenceBytesPerSecond"/>. In a cluster every server tells its own clients only
/// (local broadcasts), from its own list of everyone, so each client hears of each change once.
/// </summary>
public sealed class PresenceBroadcaster : IDisposable
{
    private readonly SocketIOServer _io;
    private readonly UserDirectory _users;
    private readonly ChatOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _pendingLock = new();
    private readonly Lock _flushLock = new();
    private Pending _pending = new();
    private List<(string SocketId, long Version)> _welcomedWithList = new();
    private bool _scheduled;
    private long? _lastFlush;

    public PresenceBroadcaster(SocketIOServer io, UserDirectory users, IOptions<ChatOptions> options, TimeProvider time)
    {
        _io = io;
        _users = users;
        _options = options.Value;
        _time = time;
        _timer = time.CreateTimer(static s => ((PresenceBroadcaster)s!).Flush(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many presence updates have gone out (for tests and metrics).</summary>
    public int UpdatesSent { get; private set; }

    public void Joined(ChatUser user) => Record(p => p.Joined.Add(new PresenceEntry(user.Id, user.Name, user.Avatar)));

    public void Renamed(string id, string oldName, string newName) => Record(p =>
    {
        p.Renamed[id] = newName;

        // One line per person for the window: from the name before the first rename to the latest.
        if (p.RenamedFrom.TryAdd(id, oldName))
        {
            p.RenameOrder.Add(id);
        }
    });

    /// <summary>A user's picture changed (null: back to initials). Rich clients only: original clients show no pictures.</summary>
    public void AvatarChanged(string id, string? avatar) => Record(p => p.Avatars[id] = avatar);

    public void Left(ChatUser user) => Record(p =>
    {
        p.Left.Add(user.Id);
        p.LeftNames.Add(user.Name);
    });

    /// <summary>
    /// Runs a newcomer's welcome (joining its room, sending it the current list) between two updates: an
    /// update can then neither reach it before its list nor describe a state older than that list.
    /// </summary>
    public void Welcome(Action welcome)
    {
        lock (_flushLock)
        {
            welcome();
        }
    }

    /// <summary>
    /// A newcomer's welcome sent it the list of <paramref name="version"/>; call from within <see cref="Welcome"/>.
    /// The next update leaves it out when the list is still that one: an original client gets one
    /// <c>usernames</c> on connect, as from the reference servers, not the same list twice.
    /// </summary>
    public void SentList(string socketId, long version) => _welcomedWithList.Add((socketId, version));

    public void Dispose() => _timer.Dispose();

    private void Record(Action<Pending> change)
    {
        lock (_pendingLock)
        {
            change(_pending);
            if (_scheduled)
            {
                return;
            }

            _scheduled = true;
            var sinceLast = _lastFlush is { } last ? _time.GetElapsedTime(last) : TimeSpan.MaxValue;
            var window = CurrentWindow();
            var delay = sinceLast >= window ? TimeSpan.Zero : window - sinceLast;
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The presence window, stretched when a full list to every original client would exceed the byte budget.</summary>
    public TimeSpan CurrentWindow()
    {
        if (_options.PresenceBytesPerSecond <= 0)
        {
            return _options.PresenceWindow;
        }

        // Each name costs its characters plus quotes and a comma; close enough for a budget.
        var listBytes = _users.NamesLength + (3L * _users.Count) + 2;
        var needed = TimeSpan.FromSeconds((double)listBytes * _users.ClassicCount / _options.PresenceBytesPerSecond);
        return needed > _options.PresenceWindow ? needed : _options.PresenceWindow;
    }

    private void Flush()
    {
        // One flush at a time, so updates reach every client in the order they were made.
        lock (_flushLock)
        {
            Pending batch;
            lock (_pendingLock)
            {
                batch = _pending;
                _pending = new Pending();
                _scheduled = false;
                _lastFlush = _time.GetTimestamp();
            }

            UpdatesSent++;

            // Original clients show no pictures: a window of picture changes alone changes nothing for them.
            var names = _users.Names(out var version);
            var current = _welcomedWithList.Where(w => w.Version == version).Select(w => w.SocketId).ToList();
            _welcomedWithList = new();
            if (batch.Joined.Count > 0 || batch.Left.Count > 0 || batch.Renamed.Count > 0)
            {
                _io.Local.To(ChatEvents.ClassicRoom).Except(current).Emit(ChatEvents.Usernames, (object)names);
            }

            var renamed = batch.Renamed.Select(r => new PresenceEntry(r.Key, r.Value)).ToArray();
            var joined = batch.Joined
                .Select(j => batch.Renamed.TryGetValue(j.Id, out var latest) ? j with { Name = latest } : j)
                .Select(j => batch.Avatars.TryGetValue(j.Id, out var face) ? j with { Avatar = face } : j)
                .ToArray();
            var avatars = batch.Avatars.Count == 0 ? null : batch.Avatars.Select(a => new AvatarChange(a.Key, a.Value)).ToArray();
            var rich = _io.Local.To(ChatEvents.RichRoom);
            rich.Emit(ChatEvents.PresenceDelta, new PresenceDelta(joined, batch.Left, renamed, avatars));

            // Lines count people, not events: someone who joined and renamed in this window joined under
            // their latest name, and someone who renamed several times (or back) is one line or none.
            var joinedIds = joined.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
            var joinedNames = joined.Select(j => j.Name).ToList();
            var renameLines = batch.RenameOrder
                .Where(id => !joinedIds.Contains(id) && batch.RenamedFrom[id] != batch.Renamed[id])
                .Select(id => $"{batch.RenamedFrom[id]} is now {batch.Renamed[id]}")
                .ToList();
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var line in Summarize(joinedNames, "joined").Concat(Summarize(renameLines, null)).Concat(Summarize(batch.LeftNames, "left")))
            {
                rich.Emit(ChatEvents.System, new SystemNotice(line.Kind, line.Text, now));
            }
        }
    }

    private IEnumerable<(string Kind, string Text)> Summarize(List<string> items, string? verb)
    {
        var kind = verb switch { "joined" => "join", "left" => "leave", _ => "rename" };
        if (items.Count > _options.SystemLinesPerWindow)
        {
            yield return (kind, verb is null ? $"{items.Count} people changed their names" : $"{items.Count} people {verb}");
            yield break;
        }

        foreach (var item in items)
        {
            yield return (kind, verb is null ? item : $"{item} {verb}");
        }
    }

    private sealed class Pending
    {
        public List<PresenceEntry> Joined { get; } = new();

        public List<string> Left { get; } = new();

        /// <summary>Latest name of each user renamed in the window.</summary>
        public Dictionary<string, string> Renamed { get; } = new(StringComparer.Ordinal);

        /// <summary>The latest picture of each user whose picture changed in the window (null: initials).</summary>
        public Dictionary<string, string?> Avatars { get; } = new(StringComparer.Ordinal);

        /// <summary>The name each of them had before their first rename in the window.</summary>
        public Dictionary<string, string> RenamedFrom { get; } = new(StringComparer.Ordinal);

        /// <summary>Who renamed, in the order of their first rename.</summary>
        public List<string> RenameOrder { get; } = new();

        public List<string> LeftNames { get; } = new();
    }
}
