using System.Text.Json;
using OpenChat.SocketIO.MessagePack.Tests.Infrastructure;

namespace OpenChat.SocketIO.MessagePack.Tests;

/// <summary>
/// The official client (socket.io-client 4.8.1 under Node) with socket.io-msgpack-parser 3.0.2 against a server
/// on the MessagePack parser, over WebSocket, polling, and polling upgraded to WebSocket: auth, events both
/// ways with acknowledgements both ways, binary at any depth, a broadcast to a room, and a refusal.
/// </summary>
public sealed class MessagePackClientTests
{
    public static TheoryData<string> Transports => new() { "websocket", "polling", "polling,websocket" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_official_client_with_the_msgpack_parser_speaks_every_kind_of_packet(string transports)
    {
        var answer = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await MessagePackHost.StartAsync(io =>
        {
            io.On("connection", async socket =>
            {
                socket.Join("room");
                io.To("room").Emit("hello", socket.Handshake.Auth, socket.Transport);
                socket.On("echo", ctx => { ctx.Ack(ctx.Arguments); });
                socket.On("bin", ctx => { socket.Emit("bin-back", ctx.Arguments); });
                var reply = await socket.EmitWithAckAsync("question", TimeSpan.FromSeconds(10), "what is it?");
                answer.TrySetResult(reply.Get<string>(0));
            });
            io.Of("/private").Use(_ => throw new ConnectionRefusedException("not allowed", new { code = 42 }));
        });
        var payload = Json("""[1, "two", {"three": [true, null, 3.5, -7, 4294967296]}, "é€😀"]""");

        var lines = await Witness.RunAsync("msgpack-client.js", new { url = host.BaseUri.ToString(), transports = transports.Split(','), auth = new { token = "abc" }, payload });

        var hello = Witness.Single(lines, "hello").GetProperty("args");
        AssertJsonEqual(Json("""{"token":"abc"}"""), hello[0]);
        AssertJsonEqual(payload, Witness.Single(lines, "echo-ack").GetProperty("args"));
        AssertJsonEqual(
            Json("""[{"note":"two buffers","first":{"$bin":"AQID","type":"Buffer"},"more":[{"$bin":"/wA=","type":"Buffer"}]}]"""),
            Witness.Single(lines, "bin-back").GetProperty("args"));
        var refused = Witness.Single(lines, "private-error");
        Assert.Equal("not allowed", refused.GetProperty("message").GetString());
        AssertJsonEqual(Json("""{"code":42}"""), refused.GetProperty("data"));
        Assert.Equal("42", await answer.Task.WithTimeout());
        Assert.Equal(transports.Split(',')[^1], Witness.Single(lines, "done").GetProperty("transport").GetString());
    }

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static void AssertJsonEqual(JsonElement expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(expected, actual), $"expected {expected.GetRawText()}{Environment.NewLine}but got  {actual.GetRawText()}");
}
