using System.Collections;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// An immutable set of room names that enumerates in insertion order, like a JavaScript <c>Set</c>. Most
/// broadcasts name zero to three rooms, so membership is a linear scan of a small array; larger sets
/// get a hash set for lookups.
/// </summary>
internal sealed class RoomSet : IReadOnlySet<string>
{
    public static readonly RoomSet Empty = new([]);

    private readonly string[] _items;
    private readonly HashSet<string>? _lookup;

    private RoomSet(string[] items)
    {
        _items = items;
        _lookup = items.Length > 8 ? new HashSet<string>(items, StringComparer.Ordinal) : null;
    }

    public int Count => _items.Length;

    public static RoomSet From(IEnumerable<string>? rooms)
    {
        switch (rooms)
        {
            case null:
                return Empty;
            case RoomSet set:
                return set;
        }

        var items = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var room in rooms)
        {
            ArgumentNullException.ThrowIfNull(room, nameof(rooms));
            if (seen.Add(room))
            {
                items.Add(room);
            }
        }

        return items.Count == 0 ? Empty : new RoomSet([.. items]);
    }

    public RoomSet Add(string room) => Contains(room) ? this : new RoomSet([.. _items, room]);

    public RoomSet Union(IEnumerable<string> rooms) => From(_items.Concat(rooms));

    public bool Contains(string item) => _lookup?.Contains(item) ?? Array.IndexOf(_items, item) >= 0;

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool IsProperSubsetOf(IEnumerable<string> other) => new HashSet<string>(_items, StringComparer.Ordinal).IsProperSubsetOf(other);

    public bool IsProperSupersetOf(IEnumerable<string> other) => new HashSet<string>(_items, StringComparer.Ordinal).IsProperSupersetOf(other);

    public bool IsSubsetOf(IEnumerable<string> other) => new HashSet<string>(_items, StringComparer.Ordinal).IsSubsetOf(other);

    public bool IsSupersetOf(IEnumerable<string> other) => other.All(Contains);

    public bool Overlaps(IEnumerable<string> other) => other.Any(Contains);

    public bool SetEquals(IEnumerable<string> other) => new HashSet<string>(_items, StringComparer.Ordinal).SetEquals(other);
}
