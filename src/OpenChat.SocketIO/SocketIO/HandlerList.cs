namespace OpenChat.SocketIO;

/// <summary>
/// Listeners of one kind (an event's handlers, the catch-all ones, the outgoing ones, ...): copied on write,
/// so running an event takes a snapshot without a lock while handlers are added or removed (Node's
/// <c>on</c>, <c>once</c>, <c>off</c>). Each entry keeps the delegate the application passed, which is what
/// <c>Off</c> compares.
/// </summary>
internal sealed class HandlerList<THandler>
    where THandler : Delegate
{
    private Entry[] _entries = [];

    public Entry[] Snapshot => Volatile.Read(ref _entries);

    public int Count => Snapshot.Length;

    public void Add(Delegate original, THandler invoke, bool once = false)
    {
        var entry = new Entry(original, invoke, once);
        Update(entries => [.. entries, entry]);
    }

    /// <summary>Removes the most recently added entry for <paramref name="original"/>, as Node's <c>off</c> does.</summary>
    public bool Remove(Delegate original)
    {
        var removed = false;
        Update(entries =>
        {
            removed = false;
            var index = Array.FindLastIndex(entries, e => e.Original.Equals(original));
            if (index < 0)
            {
                return entries;
            }

            removed = true;
            return [.. entries[..index], .. entries[(index + 1)..]];
        });
        return removed;
    }

    public void Clear() => Volatile.Write(ref _entries, []);

    /// <summary>
    /// Whether an entry of a snapshot may run now: always for a lasting one; a <c>once</c> one only for the
    /// caller that takes it out, so it runs once even when events are handled concurrently.
    /// </summary>
    public bool Claim(Entry entry)
    {
        if (!entry.Once)
        {
            return true;
        }

        var claimed = false;
        Update(entries =>
        {
            var index = Array.IndexOf(entries, entry);
            claimed = index >= 0;
            return claimed ? [.. entries[..index], .. entries[(index + 1)..]] : entries;
        });
        return claimed;
    }

    private void Update(Func<Entry[], Entry[]> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _entries);
            var next = change(current);
            if (ReferenceEquals(next, current) || Interlocked.CompareExchange(ref _entries, next, current) == current)
            {
                return;
            }
        }
    }

    internal sealed class Entry(Delegate original, THandler invoke, bool once)
    {
        public Delegate Original { get; } = original;

        public THandler Invoke { get; } = invoke;

        public bool Once { get; } = once;
    }
}
