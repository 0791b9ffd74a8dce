using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Hosting;
using OpenChat.SocketIO.Tests.Hardening;

namespace OpenChat.SocketIO.Tests.Hosting.Connections;

public sealed class ConnectionGaugeTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly LogCapture _logs = new();

    private ConnectionGauge Gauge(int? ceiling, int reserve = 4) =>
        new(ceiling, 1500, Interval, _time, _logs.CreateLogger("test"), reserve);

    private int Warnings(string name) => _logs.Entries.Count(e => e.EventId.Name == name);

    [Fact]
    public void Connections_beyond_the_ceiling_are_refused_until_one_leaves()
    {
        using var gauge = Gauge(3);

        Assert.True(gauge.TryEnter());
        Assert.True(gauge.TryEnter());
        Assert.True(gauge.TryEnter());
        Assert.False(gauge.TryEnter());
        Assert.Equal(3, gauge.Open);

        gauge.Exit();
        Assert.True(gauge.TryEnter());
        Assert.Equal(1, gauge.Refused);
    }

    [Fact]
    public void A_flood_of_refusals_gives_one_warning_per_interval_with_the_count()
    {
        using var gauge = Gauge(1);
        gauge.TryEnter();

        for (var i = 0; i < 1000; i++)
        {
            Assert.False(gauge.TryEnter());
        }

        Assert.Equal(1, Warnings("ConnectionCeilingReached"));
        _time.Advance(Interval);
        for (var i = 0; i < 500; i++)
        {
            gauge.TryEnter();
        }

        var warnings = _logs.Entries.Where(e => e.EventId.Name == "ConnectionCeilingReached").ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.Contains("(1 refused", warnings[0].Message);
        Assert.Contains("(1000 refused", warnings[1].Message);
    }

    [Fact]
    public void Coming_back_under_the_ceiling_is_said_once_with_what_was_refused_meanwhile()
    {
        using var gauge = Gauge(1);
        gauge.TryEnter();
        gauge.TryEnter();
        gauge.TryEnter();
        gauge.TryEnter();

        gauge.Exit();
        Assert.True(gauge.TryEnter());
        gauge.Exit();
        Assert.True(gauge.TryEnter());

        var back = Assert.Single(_logs.Entries, e => e.EventId.Name == "BelowConnectionCeiling");
        Assert.Contains("(2 refused", back.Message);

        // A new time at the ceiling warns at once, whatever the interval.
        Assert.False(gauge.TryEnter());
        Assert.Equal(2, Warnings("ConnectionCeilingReached"));
    }

    [Fact]
    public void Running_out_of_descriptors_releases_the_reserve_lowers_the_ceiling_to_what_fitted_and_warns_once_per_interval()
    {
        using var gauge = Gauge(100, reserve: 4);
        for (var i = 0; i < 50; i++)
        {
            gauge.TryEnter();
        }

        Assert.True(gauge.ReserveHeld);
        gauge.OnExhausted("TooManyOpenSockets");
        gauge.OnExhausted("TooManyOpenSockets");

        Assert.False(gauge.ReserveHeld);
        Assert.Equal(46, gauge.Ceiling);
        Assert.False(gauge.TryEnter());
        Assert.Equal(1, Warnings("DescriptorsExhausted"));
        Assert.Equal(1, Warnings("ConnectionCeilingLowered"));

        // Once enough connections left, the reserve is taken back.
        for (var i = 0; i < 10; i++)
        {
            gauge.Exit();
        }

        Assert.True(gauge.TryEnter());
        Assert.True(gauge.ReserveHeld);
        Assert.Equal(1, Warnings("DescriptorReserveRestored"));
    }

    [Fact]
    public void Without_a_ceiling_every_connection_is_counted_in()
    {
        using var gauge = Gauge(null);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(gauge.TryEnter());
        }

        Assert.Equal(10_000, gauge.Open);
        Assert.Empty(_logs.Entries);
    }
}
