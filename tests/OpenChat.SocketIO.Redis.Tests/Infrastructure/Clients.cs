using System.Text.Json;

namespace OpenChat.SocketIO.Redis.Tests.Infrastructure;

/// <summary>Named official Socket.IO clients (tests/node/scenarios/chat-clients.js), each connected to the server of its choice.</summary>
public sealed class Clients : IAsyncDisposable
{
    private Clients(NodeWitness node) => Node = node;

    public NodeWitness Node { get; }

    public static Clients Start() => new(NodeWitness.StartClients("chat-clients.js", new { url = "http://127.0.0.1:1/", timeoutMs = 60_000 }));

    /// <summary>Connects a client over WebSocket to <paramref name="server"/> (its main namespace unless told another); returns its socket id.</summary>
    public async Task<string> ConnectAsync(string client, Uri server, object? ackWith = null, object? auth = null, string? @namespace = null)
    {
        var from = Node.Lines.Count;
        await Node.SendAsync(new { cmd = "connect", client, url = server.ToString(), @namespace, transports = new[] { "websocket" }, ackWith, auth });
        var connect = await Node.WaitForAsync("connect", l => l.TryGetProperty("client", out var c) && c.GetString() == client, from);
        return connect.GetProperty("id").GetString()!;
    }

    public IReadOnlyList<JsonElement> Received(string client, string eventName) => Node.Received(client, eventName);

    public Task<IReadOnlyList<JsonElement>> WaitForReceivedAsync(string client, string eventName, int count = 1) => Node.WaitForReceivedAsync(client, eventName, count);

    public Task EmitAsync(string client, string name, params object?[] args) => Node.SendAsync(new { cmd = "emit", client, name, args, ack = false });

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
