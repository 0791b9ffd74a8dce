namespace OpenChat.Bench.Protocol;

/// <summary>An order-independent digest of a set of harness user names (<c>u&lt;index&gt;</c>): a sum of mixed indexes.</summary>
public static class UsernameDigest
{
    public static string NameFor(long index) => "u" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static ulong Mix(long index)
    {
        // SplitMix64 finaliser: a sum of these is practically never equal for two different sets.
        var z = (ulong)index + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Of(IEnumerable<long> indexes)
    {
        ulong digest = 0;
        foreach (var index in indexes)
        {
            digest += Mix(index);
        }

        return digest;
    }
}
