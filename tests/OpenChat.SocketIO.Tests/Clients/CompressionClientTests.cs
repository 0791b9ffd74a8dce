using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Clients;

/// <summary>The official client (socket.io-client 4.8.1 under Node) with WebSocket compression on and off.</summary>
public sealed class CompressionClientTests
{
    private static readonly string Large = string.Concat(Enumerable.Repeat("the same words again and again, ", 200));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_official_client_negotiates_per_message_deflate_only_when_the_server_offers_it_and_large_messages_arrive_whole(bool enabled)
    {
        await using var host = await TestHost.StartAsync(
            o => o.PerMessageDeflate.Enabled = enabled,
            io => io.On("connection", socket => socket.On("message", ctx => { socket.Emit("message-back", ctx.Arguments); })));

        var lines = await NodeScript.RunAsync("compressed-echo.js", new { url = host.BaseUri.ToString(), transports = new[] { "websocket" }, text = Large });

        var echo = lines.Single(l => NodeScript.Is(l, "echo"));
        Assert.True(echo.GetProperty("equal").GetBoolean());
        Assert.Equal(Large.Length, echo.GetProperty("length").GetInt32());
        var extensions = lines.Single(l => NodeScript.Is(l, "done")).GetProperty("extensions").GetString() ?? string.Empty;
        Assert.Equal(enabled, extensions.Contains("permessage-deflate", StringComparison.Ordinal));
    }
}
