using System.Collections.Concurrent;
using System.Net;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>Fixed-window count of handshakes per client address; old windows are dropped as new ones start.</summary>
internal sealed class HandshakeRateLimiter
{
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IPAddress, Counter> _counters = new();
    private long _windowStart;

    public HandshakeRateLimiter(int limit, TimeSpan window, TimeProvider time)
    {
        _limit = limit;
        _window = window;
        _time = time;
        _windowStart = time.GetTimestamp();
    }

    public bool TryAcquire(IPAddress? address)
    {
        var now = _time.GetTimestamp();
        var start = Interlocked.Read(ref _windowStart);
        if (_time.GetElapsedTime(start, now) >= _window && Interlocked.CompareExchange(ref _windowStart, now, start) == start)
        {
            _counters.Clear();
        }

        var counter = _counters.GetOrAdd(address ?? IPAddress.None, static _ => new Counter());
        return Interlocked.Increment(ref counter.Value) <= _limit;
    }

    private sealed class Counter
    {
        public int Value;
    }
}
