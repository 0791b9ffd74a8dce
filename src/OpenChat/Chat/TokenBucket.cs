namespace OpenChat.Chat;

/// <summary>A token bucket: up to <c>capacity</c> at once, refilled at <c>perSecond</c>. Thread-safe.</summary>
public sealed class TokenBucket
{
    private readonly Lock _sync = new();
    private readonly double _capacity;
    private readonly double _perSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public TokenBucket(double capacity, double perSecond, TimeProvider time)
    {
        _capacity = capacity;
        _perSecond = perSecond;
        _time = time;
        _tokens = capacity;
        _last = time.GetTimestamp();
    }

    /// <summary>Whether the bucket has refilled completely (an idle client: nothing to remember).</summary>
    public bool IsFull
    {
        get
        {
            lock (_sync)
            {
                Refill();
                return _tokens >= _capacity;
            }
        }
    }

    public bool TryTake()
    {
        lock (_sync)
        {
            Refill();
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _perSecond));
        _last = now;
    }
}
