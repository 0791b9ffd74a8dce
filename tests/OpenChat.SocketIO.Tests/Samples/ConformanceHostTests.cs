using System.Net.Http.Json;
using System.Text.Json;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Samples;

public sealed class ConformanceHostTests
{
    [Fact]
    public async Task The_conformance_host_answers_a_handshake_with_its_short_heartbeat()
    {
        await using var host = await TestHost.StartAsync(ConformanceHost.ConformanceApp.Build([], port: 0));
        using var http = new HttpClient();
        var body = await http.GetStringAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
        Assert.StartsWith("0{", body);
        using var open = JsonDocument.Parse(body[1..]);
        Assert.Equal(300, open.RootElement.GetProperty("pingInterval").GetInt32());
        Assert.Equal(200, open.RootElement.GetProperty("pingTimeout").GetInt32());
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task With_parser_msgpack_the_conformance_host_echoes_the_official_client_on_the_msgpack_parser(string transports)
    {
        await using var host = await ConformanceHostProcess.StartAsync("--parser=msgpack");
        var payloads = new object[] { new object[] { 1, "two", new { three = new[] { true } } }, new object[] { "bin", new Dictionary<string, string> { ["$bin"] = "AQID" } } };

        var lines = await Clients.NodeScript.RunAsync("echo.js", new { url = $"http://127.0.0.1:{host.Port}/", transports = new[] { transports }, parser = "msgpack", payloads });

        var echoes = lines.Where(l => Clients.NodeScript.Is(l, "message-back") || Clients.NodeScript.Is(l, "message-with-ack")).ToList();
        Assert.Equal(4, echoes.Count);
        Assert.All(echoes, e => Assert.True(JsonElement.DeepEquals(e.GetProperty("sent"), e.GetProperty("received")), e.GetRawText()));
        Assert.Equal(transports, lines.Single(l => Clients.NodeScript.Is(l, "done")).GetProperty("transport").GetString());
    }
}
