using System.Diagnostics;

namespace OpenChat.Bench.Measurement;

/// <summary>
/// A log-linear histogram of latencies in microseconds (32 sub-buckets per power of two, about 3% precision),
/// safe for concurrent recording from every receive loop without allocation.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 5;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int Octaves = 40;
    private readonly long[] _counts = new long[(Octaves + 1) * SubBuckets];
    private long _max;

    /// <summary>Samples recorded so far (a sum over the buckets, so recording stays one atomic increment).</summary>
    public long Count
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                total += Interlocked.Read(ref _counts[i]);
            }

            return total;
        }
    }

    public void RecordTicks(long stopwatchTicks) => RecordMicroseconds(stopwatchTicks * 1_000_000 / Stopwatch.Frequency);

    public void RecordMicroseconds(long microseconds)
    {
        if (microseconds < 0)
        {
            microseconds = 0;
        }

        Interlocked.Increment(ref _counts[IndexOf(microseconds)]);
        long seen;
        while (microseconds > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, microseconds, seen) != seen)
        {
        }
    }

    /// <summary>The latency (ms) below which <paramref name="quantile"/> of the samples fall; NaN when empty.</summary>
    public double PercentileMilliseconds(double quantile)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperBoundOf(i), Interlocked.Read(ref _max)) / 1000.0;
            }
        }

        return Interlocked.Read(ref _max) / 1000.0;
    }

    public double MaxMilliseconds => Count == 0 ? double.NaN : Interlocked.Read(ref _max) / 1000.0;

    private static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        var octave = 63 - (int)long.LeadingZeroCount(value) - SubBucketBits + 1;
        if (octave > Octaves)
        {
            return _lastIndex;
        }

        var sub = (int)(value >> (octave - 1)) - SubBuckets;
        return (octave * SubBuckets) + sub;
    }

    private static long UpperBoundOf(int index)
    {
        var octave = index / SubBuckets;
        var sub = index % SubBuckets;
        if (octave == 0)
        {
            return sub;
        }

        return ((long)(sub + SubBuckets + 1) << (octave - 1)) - 1;
    }

    private static readonly int _lastIndex = ((Octaves + 1) * SubBuckets) - 1;
}
