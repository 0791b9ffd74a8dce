using System.Diagnostics;
using OpenChat.Bench.Client;
using OpenChat.Bench.Protocol;

namespace OpenChat.Bench.Scenarios;

/// <summary>Remembers, per client, whether its latest <c>usernames</c> list is exact and when it arrived.</summary>
internal sealed class StormPresenceTracker : ChatFrameHandler
{
    private readonly int _expectedCount;
    private readonly ulong _expectedDigest;
    private readonly bool[] _latestExact;
    private readonly long[] _latestAt;
    private long _lists;

    public StormPresenceTracker(int clients)
    {
        _expectedCount = clients;
        _expectedDigest = UsernameDigest.Of(Enumerable.Range(0, clients).Select(i => (long)i));
        _latestExact = new bool[clients];
        _latestAt = new long[clients];
    }

    public long ListsReceived => Interlocked.Read(ref _lists);

    public override void OnUsernames(IChatClient client, ReadOnlySpan<byte> frame)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _lists);
        var count = ChatFrameParser.ReadUsernames(frame, _expectedCount, out var digest, out var allHarnessNames);
        Volatile.Write(ref _latestAt[client.Index], now);
        Volatile.Write(ref _latestExact[client.Index], count == _expectedCount && allHarnessNames && digest == _expectedDigest);
    }

    /// <summary>How many of the given clients hold an exact list, and the arrival time of the last of those lists.</summary>
    public (int Exact, long LatestArrival) Survey(IEnumerable<int> clientIndexes)
    {
        var exact = 0;
        long latest = 0;
        foreach (var index in clientIndexes)
        {
            if (Volatile.Read(ref _latestExact[index]))
            {
                exact++;
                latest = Math.Max(latest, Volatile.Read(ref _latestAt[index]));
            }
        }

        return (exact, latest);
    }
}
