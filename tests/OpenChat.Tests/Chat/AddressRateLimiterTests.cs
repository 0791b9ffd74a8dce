using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenChat.Chat;

namespace OpenChat.Tests.Chat;

public sealed class AddressRateLimiterTests
{
    private static readonly IPAddress Office = IPAddress.Parse("203.0.113.7");
    private readonly FakeTimeProvider _time = new();

    private AddressRateLimiter Limiter(double perSecond = 30, int burst = 60) =>
        new(Options.Create(new ChatOptions { MessagesPerSecondPerIp = perSecond, MessageBurstPerIp = burst }), _time);

    [Fact]
    public void The_default_budget_is_a_burst_of_60_then_30_a_second_per_address()
    {
        var options = new ChatOptions();
        Assert.Equal(30, options.MessagesPerSecondPerIp);
        Assert.Equal(60, options.MessageBurstPerIp);
        var limiter = Limiter();

        Assert.Equal(60, Enumerable.Range(0, 100).Count(_ => limiter.TryTake(Office)));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(30, Enumerable.Range(0, 100).Count(_ => limiter.TryTake(Office)));
    }

    [Fact]
    public void Addresses_have_budgets_of_their_own_and_an_ipv6_network_of_64_bits_shares_one()
    {
        var limiter = Limiter(burst: 2);

        Assert.Equal(2, Enumerable.Range(0, 5).Count(_ => limiter.TryTake(Office)));
        Assert.True(limiter.TryTake(IPAddress.Parse("198.51.100.1")));
        Assert.True(limiter.TryTake(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.True(limiter.TryTake(IPAddress.Parse("2001:db8:1:2::ffff")));
        Assert.False(limiter.TryTake(IPAddress.Parse("2001:db8:1:2:1:2:3:4")));
        Assert.False(limiter.TryTake(IPAddress.Parse("::ffff:203.0.113.7")));
    }

    [Fact]
    public void Zero_turns_the_budget_off()
    {
        var limiter = Limiter(perSecond: 0, burst: 0);
        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(limiter.TryTake(Office)));
    }

    [Fact]
    public void Addresses_whose_budget_refilled_are_forgotten_after_a_minute()
    {
        var limiter = Limiter();
        for (var i = 0; i < 500; i++)
        {
            limiter.TryTake(new IPAddress([10, 1, (byte)(i / 256), (byte)i]));
        }

        Assert.Equal(500, limiter.TrackedAddresses);
        _time.Advance(TimeSpan.FromMinutes(1));
        limiter.TryTake(Office);

        Assert.Equal(1, limiter.TrackedAddresses);
    }
}
