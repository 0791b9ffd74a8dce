using System.Collections;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// A set of strings (ordinal) that keeps a lone member inline and builds a hash set only for a second one.
/// Most of an adapter's sets hold one id: every socket's own room, and the rooms of a socket that joined no
/// other. A one-member <see cref="HashSet{T}"/> is three objects (the set and its two arrays), over 350 bytes
/// each in the bare host's heap profile; this is one object of 32 bytes.
/// </summary>
internal sealed class CompactStringSet : IReadOnlyCollection<string>
{
    private string? _single;
    private HashSet<string>? _many;

    public int Count => _many?.Count ?? (_single is null ? 0 : 1);

    /// <summary>Adds <paramref name="item"/>; false when it was already a member.</summary>
    public bool Add(string item)
    {
        if (_many is not null)
        {
            return _many.Add(item);
        }

        if (_single is null)
        {
            _single = item;
            return true;
        }

        if (string.Equals(_single, item, StringComparison.Ordinal))
        {
            return false;
        }

        _many = new HashSet<string>(StringComparer.Ordinal) { _single, item };
        _single = null;
        return true;
    }

    /// <summary>Removes <paramref name="item"/>; false when it was not a member.</summary>
    public bool Remove(string item)
    {
        if (_many is not null)
        {
            return _many.Remove(item);
        }

        if (string.Equals(_single, item, StringComparison.Ordinal))
        {
            _single = null;
            return true;
        }

        return false;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates without allocating; like a hash set's, it must not outlive a change to the set.</summary>
    public struct Enumerator : IEnumerator<string>
    {
        private readonly string? _single;
        private readonly bool _hasMany;
        private HashSet<string>.Enumerator _many;
        private bool _done;

        internal Enumerator(CompactStringSet set)
        {
            _single = set._single;
            _hasMany = set._many is not null;
            _many = set._many?.GetEnumerator() ?? default;
            Current = null!;
        }

        public string Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_hasMany)
            {
                var moved = _many.MoveNext();
                Current = moved ? _many.Current : null!;
                return moved;
            }

            if (_done || _single is null)
            {
                return false;
            }

            _done = true;
            Current = _single;
            return true;
        }

        public void Reset() => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
