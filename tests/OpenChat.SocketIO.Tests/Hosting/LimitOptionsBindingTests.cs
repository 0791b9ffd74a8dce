using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OpenChat.SocketIO.Tests.Hosting;

/// <summary>The hardening limits as an operator sets them: from configuration, checked at start.</summary>
public sealed class LimitOptionsBindingTests
{
    private static SocketIOOptions Bind(params (string Key, string? Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build());
        services.AddSocketIO();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SocketIOOptions>>().Value;
    }

    [Fact]
    public void The_limits_are_read_from_the_socketio_section()
    {
        var options = Bind(
            ("SocketIO:HandshakesPerMinutePerIp", "60"),
            ("SocketIO:MaxPendingSessions", "10"),
            ("SocketIO:MaxPendingSessionsPerIp", "2"),
            ("SocketIO:MaxHandshakeBytes", "4096"),
            ("SocketIO:BinaryPacketTimeout", "00:00:05"));

        Assert.Equal(60, options.HandshakesPerMinutePerIp);
        Assert.Equal(10, options.MaxPendingSessions);
        Assert.Equal(2, options.MaxPendingSessionsPerIp);
        Assert.Equal(4096, options.MaxHandshakeBytes);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BinaryPacketTimeout);
    }

    [Fact]
    public void An_empty_handshake_rate_turns_the_limit_off() =>
        Assert.Null(Bind(("SocketIO:HandshakesPerMinutePerIp", "")).HandshakesPerMinutePerIp);

    [Theory]
    [InlineData("SocketIO:MaxPendingSessions", "0")]
    [InlineData("SocketIO:MaxPendingSessionsPerIp", "0")]
    [InlineData("SocketIO:MaxHandshakeBytes", "100")]
    [InlineData("SocketIO:BinaryPacketTimeout", "00:00:00")]
    public void A_limit_that_would_refuse_everyone_fails_at_start(string key, string value) =>
        Assert.Throws<OptionsValidationException>(() => Bind((key, value)));
}
