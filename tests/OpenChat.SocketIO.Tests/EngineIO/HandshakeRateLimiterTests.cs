using System.Net;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Tests.EngineIO;

public sealed class HandshakeRateLimiterTests
{
    private static readonly IPAddress Office = IPAddress.Parse("203.0.113.7");
    private readonly FakeTimeProvider _time = new();

    private static int Take(HandshakeRateLimiter limiter, IPAddress address, int count) =>
        Enumerable.Range(0, count).Count(_ => limiter.TryAcquire(address));

    [Fact]
    public void A_minute_s_worth_of_handshakes_passes_at_once_then_they_refill_at_the_per_minute_rate()
    {
        var limiter = new HandshakeRateLimiter(600, _time);

        Assert.Equal(600, Take(limiter, Office, 700));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(10, Take(limiter, Office, 50));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(600, Take(limiter, Office, 700));
    }

    [Fact]
    public void Addresses_are_counted_apart()
    {
        var limiter = new HandshakeRateLimiter(2, _time);

        Assert.Equal(2, Take(limiter, Office, 5));
        Assert.Equal(2, Take(limiter, IPAddress.Parse("198.51.100.1"), 5));
    }

    [Fact]
    public void An_ipv6_network_of_64_bits_counts_as_one_address_and_mapped_ipv4_as_its_ipv4()
    {
        var limiter = new HandshakeRateLimiter(3, _time);

        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2:abcd:1234:5678:9")));
        Assert.False(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2::77")));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:3::1")));

        Assert.Equal(3, Take(limiter, IPAddress.Parse("::ffff:203.0.113.7"), 5));
        Assert.False(limiter.TryAcquire(Office));
    }

    [Fact]
    public void Addresses_idle_for_a_minute_are_forgotten()
    {
        var limiter = new HandshakeRateLimiter(60, _time);
        for (var i = 0; i < 1000; i++)
        {
            limiter.TryAcquire(new IPAddress([10, 0, (byte)(i / 256), (byte)i]));
        }

        Assert.Equal(1000, limiter.TrackedAddresses);
        _time.Advance(TimeSpan.FromMinutes(1));
        limiter.TryAcquire(Office);

        Assert.Equal(1, limiter.TrackedAddresses);
    }
}
