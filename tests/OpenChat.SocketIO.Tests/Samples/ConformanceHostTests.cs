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
}
