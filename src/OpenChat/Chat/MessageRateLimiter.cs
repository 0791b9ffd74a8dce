namespace OpenChat.Chat;

/// <summary>A token bucket per connection: a burst is allowed, then messages refill at a steady rate.</summary>
public sealed class MessageRateLimiter(ChatOptions options, TimeProvider time)
{
    private readonly Lock _sync = new();
    private double _tokens = options.MessageBurst;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        lock (_sync)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(options.MessageBurst, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * options.MessagesPerSecond));
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
