using System.Text.Json;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Clients;

/// <summary>
/// socket.io-client 2.5.0 (Engine.IO 3, Socket.IO protocol 4) under Node against a server with
/// <see cref="EngineIO.EngineIOOptions.AllowEIO3"/> on, over WebSocket only, polling only, and polling
/// upgraded to WebSocket, with binary as binary and, when the client forces it, as base64.
/// </summary>
public sealed class LegacyClientTests
{
    public static TheoryData<string, bool> Transports => new()
    {
        { "websocket", false },
        { "polling", false },
        { "polling,websocket", false },
        { "websocket", true },
        { "polling", true },
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_2_x_client_joins_namespaces_exchanges_events_acks_and_binary_and_is_refused_by_middleware(string transports, bool forceBase64)
    {
        var disconnected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(o => o.AllowEIO3 = true, io =>
        {
            io.On("connection", socket =>
            {
                socket.Emit("hello", socket.Handshake.Auth, socket.Transport);
                socket.On("echo", ctx => { ctx.Ack(ctx.Arguments); });
                socket.On("bin", ctx => { socket.Emit("bin-back", ctx.Arguments); });
                socket.OnDisconnect(r => disconnected.TrySetResult(r));
            });
            io.Of("/custom").On("connection", socket => { socket.Emit("auth", socket.Handshake.Auth); });
            io.Of("/private").Use(_ => throw new ConnectionRefusedException("not allowed", new { code = 42 }));
        });
        var payload = Json("""[1, "two", {"three": [true, null, 3.5]}, "é€😀"]""");

        var lines = await NodeScript.RunAsync("sio2-client.js", new { url = host.BaseUri.ToString(), transports = transports.Split(','), forceBase64, payload });

        AssertJsonEqual(Json("""[{}]"""), Json(Single(lines, "hello").GetProperty("args").EnumerateArray().Take(1)));
        AssertJsonEqual(payload, Single(lines, "echo-ack").GetProperty("args"));
        AssertJsonEqual(
            Json("""[{"note":"two buffers","first":{"$bin":"AQID","type":"Buffer"},"more":[{"$bin":"/wA=","type":"Buffer"}]}]"""),
            Single(lines, "bin-back").GetProperty("args"));
        AssertJsonEqual(Json("""[{"token":"abc"}]"""), Single(lines, "custom-auth").GetProperty("args"));
        AssertJsonEqual(Json("""{"code":42}"""), Single(lines, "private-error").GetProperty("data"));
        Assert.Equal(transports.Split(',')[^1], Single(lines, "done").GetProperty("transport").GetString());
        Assert.Contains(await disconnected.Task.WithTimeout(), new[] { DisconnectReasons.ClientNamespaceDisconnect, DisconnectReasons.TransportClose });
    }

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static JsonElement Json(IEnumerable<JsonElement> items) => JsonSerializer.SerializeToElement(items);

    private static JsonElement Single(IReadOnlyList<JsonElement> lines, string eventName)
    {
        var matches = lines.Where(l => NodeScript.Is(l, eventName)).ToList();
        Assert.True(matches.Count == 1, $"expected exactly one \"{eventName}\" line, got {matches.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, lines.Select(l => l.GetRawText()))}");
        return matches[0];
    }

    private static void AssertJsonEqual(JsonElement expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(expected, actual), $"expected {expected.GetRawText()}{Environment.NewLine}but got  {actual.GetRawText()}");
}
