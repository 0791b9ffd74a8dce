using Microsoft.Extensions.Time.Testing;
using OpenChat.Chat;

namespace OpenChat.Tests.Chat;

public sealed class RenameRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_few_renames_pass_at_once_then_one_every_ten_seconds_by_default()
    {
        var options = new ChatOptions();
        Assert.Equal(3, options.RenameBurst);
        Assert.Equal(6, options.RenamesPerMinute);
        var limiter = new RenameRateLimiter(options, _time);

        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => limiter.TryTake()));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(limiter.TryTake());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryTake());
        Assert.False(limiter.TryTake());
    }
}
