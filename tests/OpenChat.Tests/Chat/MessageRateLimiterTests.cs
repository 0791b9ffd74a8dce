using Microsoft.Extensions.Time.Testing;
using OpenChat.Chat;

namespace OpenChat.Tests.Chat;

public sealed class MessageRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_burst_is_allowed_and_the_next_message_is_refused()
    {
        var limiter = new MessageRateLimiter(new ChatOptions { MessageBurst = 3, MessagesPerSecond = 1 }, _time);
        Assert.True(limiter.TryTake());
        Assert.True(limiter.TryTake());
        Assert.True(limiter.TryTake());
        Assert.False(limiter.TryTake());
        Assert.False(limiter.TryTake());
    }

    [Fact]
    public void Messages_refill_at_the_configured_rate()
    {
        var limiter = new MessageRateLimiter(new ChatOptions { MessageBurst = 2, MessagesPerSecond = 2 }, _time);
        Assert.True(limiter.TryTake());
        Assert.True(limiter.TryTake());
        Assert.False(limiter.TryTake());

        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.False(limiter.TryTake());

        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.True(limiter.TryTake());
        Assert.False(limiter.TryTake());
    }

    [Fact]
    public void Refused_attempts_do_not_use_up_the_refill()
    {
        var limiter = new MessageRateLimiter(new ChatOptions { MessageBurst = 1, MessagesPerSecond = 1 }, _time);
        Assert.True(limiter.TryTake());
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.False(limiter.TryTake());
        }

        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(limiter.TryTake());
    }

    [Fact]
    public void A_long_quiet_spell_refills_no_more_than_the_burst()
    {
        var limiter = new MessageRateLimiter(new ChatOptions { MessageBurst = 3, MessagesPerSecond = 5 }, _time);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.True(limiter.TryTake());
        Assert.True(limiter.TryTake());
        Assert.True(limiter.TryTake());
        Assert.False(limiter.TryTake());
    }

    [Fact]
    public void Each_limiter_has_its_own_bucket()
    {
        var options = new ChatOptions { MessageBurst = 1, MessagesPerSecond = 0.001 };
        var first = new MessageRateLimiter(options, _time);
        var second = new MessageRateLimiter(options, _time);
        Assert.True(first.TryTake());
        Assert.False(first.TryTake());
        Assert.True(second.TryTake());
    }
}
