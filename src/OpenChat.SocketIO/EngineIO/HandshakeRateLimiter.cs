using System.Collections.Concurrent;
using System.Net;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// A token bucket per client address (see <see cref="ClientAddressKey"/>): up to a minute's worth of
/// handshakes at once, refilled steadily at the per-minute rate. A whole office behind one NAT can come
/// back at once after a restart; one address cannot open sessions faster than the rate for long. Full
/// buckets are dropped once per minute, so memory follows the addresses active in the last minute.
/// </summary>
internal sealed class HandshakeRateLimiter
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    private readonly double _capacity;
    private readonly double _perSecond;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    private long _lastSweep;

    public HandshakeRateLimiter(int perMinute, TimeProvider time)
    {
        _capacity = perMinute;
        _perSecond = perMinute / 60.0;
        _time = time;
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>Addresses with a bucket (for tests).</summary>
    internal int TrackedAddresses => _buckets.Count;

    public bool TryAcquire(IPAddress? address)
    {
        var now = _time.GetTimestamp();
        SweepIfDue(now);
        var bucket = _buckets.GetOrAdd(ClientAddressKey.For(address), static (_, s) => new Bucket(s.Capacity, s.Now), (Capacity: _capacity, Now: now));
        lock (bucket)
        {
            bucket.Refill(now, _capacity, _perSecond, _time);
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    private void SweepIfDue(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (_time.GetElapsedTime(last, now) < SweepEvery || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (address, bucket) in _buckets)
        {
            lock (bucket)
            {
                bucket.Refill(now, _capacity, _perSecond, _time);
                if (bucket.Tokens >= _capacity)
                {
                    _buckets.TryRemove(new KeyValuePair<IPAddress, Bucket>(address, bucket));
                }
            }
        }
    }

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens = tokens;
        private long _at = at;

        public void Refill(long now, double capacity, double perSecond, TimeProvider time)
        {
            // Another thread may have refilled at a later timestamp than this one's.
            if (now <= _at)
            {
                return;
            }

            Tokens = Math.Min(capacity, Tokens + (time.GetElapsedTime(_at, now).TotalSeconds * perSecond));
            _at = now;
        }
    }
}
