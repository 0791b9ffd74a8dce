using System.Text.Json;
using OpenChat.SocketIO.Tests.Infrastructure;
using SocketIOClient.Transport;

namespace OpenChat.SocketIO.Tests.Clients;

/// <summary>
/// Clients of other versions than the main test clients, for the README's compatibility table:
/// socket.io-client 3.1.3 (the same protocol as 4.x) and SocketIOClient 3.0.6 speaking Engine.IO 3.
/// </summary>
public sealed class ClientVersionTests
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    [InlineData("polling,websocket")]
    public async Task Socket_io_client_3_echoes_events_acks_and_binary_on_the_conformance_host(string transports)
    {
        await using var host = await TestHost.StartAsync(ConformanceHost.ConformanceApp.Build([], port: 0));
        var payloads = new object[] { new object[] { 1, "two", new { three = new[] { true } } }, new object[] { "bin", new Dictionary<string, string> { ["$bin"] = "AQID" } } };

        var lines = await NodeScript.RunAsync("echo.js", new { url = host.BaseUri.ToString(), transports = transports.Split(','), client = "3", payloads });

        var echoes = lines.Where(l => NodeScript.Is(l, "message-back") || NodeScript.Is(l, "message-with-ack")).ToList();
        Assert.Equal(4, echoes.Count);
        Assert.All(echoes, e => Assert.True(JsonElement.DeepEquals(e.GetProperty("sent"), e.GetProperty("received")), e.GetRawText()));
        Assert.Equal(transports.Split(',')[^1], lines.Single(l => NodeScript.Is(l, "done")).GetProperty("transport").GetString());
    }

    [Theory]
    [InlineData(TransportProtocol.WebSocket)]
    [InlineData(TransportProtocol.Polling)]
    public async Task SocketIOClient_on_engine_io_3_connects_and_exchanges_acks_and_binary_with_allow_eio3(TransportProtocol transport)
    {
        var download = new byte[] { 9, 8, 7, 255 };
        await using var host = await TestHost.StartAsync(o => o.AllowEIO3 = true, io => io.On("connection", socket =>
        {
            socket.On("upload", ctx => { ctx.Ack(ctx.Arguments.Get<string>(0), ctx.Arguments.Get<byte[]>(1)!.Length); });
            socket.On("fetch", ctx => socket.Emit("download", "file.bin", download));
        }));
        await using var client = DotNetClientFactory.Create(host, transport, eio: 3);
        var downloads = client.Listen("download");
        await client.ConnectAsync();

        var ack = await client.EmitWithAckAsync("upload", "photo.png", new byte[] { 1, 2, 3 });
        await client.Socket.EmitAsync("fetch").WithTimeout();

        Assert.Equal("photo.png", ack.GetValue<string>(0));
        Assert.Equal(3, ack.GetValue<int>(1));
        var file = await downloads.ReadAsync().AsTask().WithTimeout();
        Assert.Equal(download, file.GetValue<byte[]>(1));
        Assert.Equal(1, host.IO.MainNamespace.SocketCount);
    }
}
