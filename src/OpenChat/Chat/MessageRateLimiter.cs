namespace OpenChat.Chat;

/// <summary>A token bucket per connection: a burst is allowed, then messages refill at a steady rate.</summary>
public sealed class MessageRateLimiter
{
    private readonly Lock _sync = new();
    private readonly double _perSecond;
    private readonly int _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    /// <summary>The chat message limit: <see cref="ChatOptions.MessagesPerSecond"/>, <see cref="ChatOptions.MessageBurst"/>.</summary>
    public MessageRateLimiter(ChatOptions options, TimeProvider time)
        : this(options.MessagesPerSecond, options.MessageBurst, time)
    {
    }

    /// <summary>Any other limit of the same shape (e.g. history requests).</summary>
    public MessageRateLimiter(double perSecond, int burst, TimeProvider time)
    {
        _perSecond = perSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Whether the bucket has refilled completely: an idle client, nothing to remember.</summary>
    public bool IsFull
    {
        get
        {
            lock (_sync)
            {
                var now = _time.GetTimestamp();
                return _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _perSecond) >= _burst;
            }
        }
    }

    public bool TryTake()
    {
        lock (_sync)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _perSecond));
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
