using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>Inputs the protocol fuzzer found, pinned as plain tests so they fail on their own and read clearly.</summary>
public sealed class FuzzFindingTests
{
    /// <summary>
    /// Known server bug (kept failing on purpose): a lone surrogate escape is valid JSON and the server accepts
    /// it in values, but in an object key the argument cannot be sent on: re-encoding falls back to
    /// <c>JsonProperty.Name</c> for escaped keys, which throws, so the handler fails and the client's ack never comes.
    /// </summary>
    [Theory]
    [InlineData("{\"k\\ud800\":1}")]
    [InlineData("{\"\\udc00\":{\"inner\\ud83d\":[true]}}")]
    public async Task Received_arguments_with_a_lone_surrogate_escape_in_an_object_key_can_be_sent_back(string argument)
    {
        var logs = new LogCapture();
        await using var host = await HardeningHost.StartAsync(logs, handlers: io => io.On("connection", socket =>
        {
            socket.On("ack-echo", ctx => ctx.Ack(ctx.Arguments));
            socket.On("echo", ctx => socket.Emit("echo", ctx.Arguments));
            socket.On("probe", ctx => ctx.Ack("ok"));
        }));
        await using var client = await RawSocketIOClient.OpenWebSocketAsync(host);
        await client.JoinAsync();

        await client.SendAsync($"421[\"ack-echo\",{argument}]");
        await client.SendAsync($"42[\"echo\",{argument}]");
        await client.SendAsync("422[\"probe\"]");

        // Handlers of one connection run in order: once the probe is answered, both echoes were attempted.
        var seen = new List<string>();
        await client.NextAsync(p =>
        {
            seen.Add(p);
            return p == "432[\"ok\"]";
        });
        logs.AssertNoFaults();
        Assert.Contains($"431[{argument}]", seen);
        Assert.Contains($"42[\"echo\",{argument}]", seen);
    }
}
