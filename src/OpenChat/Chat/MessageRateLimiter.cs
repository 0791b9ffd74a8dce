namespace OpenChat.Chat;

/// <summary>A token bucket per connection: a burst is allowed, then messages refill at a steady rate.</summary>
public sealed class MessageRateLimiter(ChatOptions options, TimeProvider time)
{
    private readonly TokenBucket _bucket = new(options.MessageBurst, options.MessagesPerSecond, time);

    public bool TryTake() => _bucket.TryTake();
}
