using System.Diagnostics.CodeAnalysis;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// The offset Node's session-aware adapter gives each broadcast it keeps: a <c>yeast</c> id, the send time in
/// Unix milliseconds in base 64 (<c>0-9A-Za-z-_</c>), with <c>.</c> and a counter in base 64 for the second and
/// later packets of one millisecond (<c>PZ8yTMb</c>, <c>PZ8yTMb.0</c>, <c>PZ8yTMb.1</c>, …). Offsets of one log
/// increase, so they compare in the order their packets were sent.
/// </summary>
internal readonly record struct PacketOffset(long Millis, int Seed) : IComparable<PacketOffset>
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

    // 2^60 ms is far beyond any clock; more digits than this is not an offset of ours.
    private const int MaxMillisDigits = 10;
    private const int MaxSeedDigits = 5;

    /// <summary>The first packet of a millisecond carries no counter.</summary>
    public const int NoSeed = -1;

    public int CompareTo(PacketOffset other) => Millis != other.Millis ? Millis.CompareTo(other.Millis) : Seed.CompareTo(other.Seed);

    public static bool TryParse(string? text, [NotNullWhen(true)] out PacketOffset offset)
    {
        offset = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var millisText = dot < 0 ? text.AsSpan() : text.AsSpan(0, dot);
        if (!TryDecode(millisText, MaxMillisDigits, out var millis))
        {
            return false;
        }

        var seed = NoSeed;
        if (dot >= 0)
        {
            if (!TryDecode(text.AsSpan(dot + 1), MaxSeedDigits, out var counter))
            {
                return false;
            }

            seed = (int)counter;
        }

        offset = new PacketOffset(millis, seed);

        // One text per offset: "01" and "1" are not both accepted, so a parsed offset always prints back the same.
        return offset.ToString() == text;
    }

    public override string ToString() => Seed == NoSeed ? Encode(Millis) : Encode(Millis) + "." + Encode(Seed);

    private static string Encode(long value)
    {
        Span<char> digits = stackalloc char[12];
        var i = digits.Length;
        do
        {
            digits[--i] = Alphabet[(int)(value % 64)];
            value /= 64;
        }
        while (value > 0);

        return new string(digits[i..]);
    }

    private static bool TryDecode(ReadOnlySpan<char> text, int maxDigits, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > maxDigits)
        {
            return false;
        }

        foreach (var c in text)
        {
            var digit = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            value = (value * 64) + digit;
        }

        return true;
    }
}
