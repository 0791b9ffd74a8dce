using System.Text.Json;

namespace OpenChat.Tests.Infrastructure;

/// <summary>
/// Named official Socket.IO clients in one Node process (tests/node/scenarios/chat-clients.js), connected
/// and driven on command. Everything a client receives is kept, so tests can ask what a client saw.
/// </summary>
public sealed class NodeChatClients : IAsyncDisposable
{
    private readonly NodeChatProcess _node;

    private NodeChatClients(NodeChatProcess node) => _node = node;

    public NodeChatProcess Process => _node;

    public static NodeChatClients Start(Uri server) =>
        new(NodeChatProcess.Start("chat-clients.js", new { url = server.ToString(), timeoutMs = 60_000 }));

    /// <summary>
    /// Connects a client as the seed page does (<c>io(url)</c>: polling, then upgrade), or with a CONNECT
    /// auth payload and transports when given, to the script's server or to <paramref name="server"/>, and
    /// with a browser's cookies when given (the <c>Cookie</c> header, sent with every request); returns its
    /// socket id. Version 2 makes it a socket.io-client 2.5.0 (which has no auth; its id is the one that
    /// client computes).
    /// </summary>
    public async Task<string> ConnectAsync(string client, object? auth = null, string[]? transports = null, Uri? server = null, string? cookie = null, int version = 4)
    {
        var from = _node.Lines.Count;
        await _node.SendAsync(new { cmd = "connect", client, auth, transports, url = server?.ToString(), extraHeaders = cookie is null ? null : new { cookie }, version });
        var connect = await _node.WaitForAsync("connect", l => ClientOf(l) == client, from);
        return connect.GetProperty("id").GetString()!;
    }

    /// <summary>Connects a client the server is expected to refuse; returns the <c>connect_error</c> line (message, data).</summary>
    public async Task<JsonElement> ConnectRefusedAsync(string client, object? auth = null, string? cookie = null)
    {
        var from = _node.Lines.Count;
        await _node.SendAsync(new { cmd = "connect", client, auth, extraHeaders = cookie is null ? null : new { cookie } });
        return await _node.WaitForAsync("connect_error", l => ClientOf(l) == client, from);
    }

    /// <summary>Emits without an acknowledgement; an empty argument list sends the event with no arguments.</summary>
    public Task EmitAsync(string client, string name, params object?[] args) =>
        _node.SendAsync(new { cmd = "emit", client, name, args, ack = false });

    /// <summary>Emits with an acknowledgement callback and returns the first argument of the answer.</summary>
    public async Task<JsonElement> EmitWithAckAsync(string client, string name, params object?[] args)
    {
        bool IsAck(JsonElement l) => NodeChatProcess.Is(l, "ack") && ClientOf(l) == client && l.GetProperty("name").GetString() == name;
        var before = _node.Lines.Count(IsAck);
        await _node.SendAsync(new { cmd = "emit", client, name, args, ack = true });
        var lines = await _node.WaitUntilAsync(all => all.Count(IsAck) > before, $"an ack of {name} for {client}");
        return lines.Where(IsAck).ElementAt(before).GetProperty("args")[0].Clone();
    }

    public async Task DisconnectAsync(string client)
    {
        var from = _node.Lines.Count;
        await _node.SendAsync(new { cmd = "disconnect", client });
        await _node.WaitForAsync("disconnect", l => ClientOf(l) == client, from);
    }

    /// <summary>The client loses its connection as a network would, and stays away until <see cref="ReconnectAsync"/>.</summary>
    public async Task DropAsync(string client)
    {
        var from = _node.Lines.Count;
        await _node.SendAsync(new { cmd = "drop", client, stayAway = true });
        await _node.WaitForAsync("disconnect", l => ClientOf(l) == client, from);
    }

    /// <summary>The client comes back after <see cref="DropAsync"/>; returns its socket id and whether its session was recovered.</summary>
    public async Task<(string Id, bool Recovered)> ReconnectAsync(string client)
    {
        var from = _node.Lines.Count;
        await _node.SendAsync(new { cmd = "reconnect", client });
        var connect = await _node.WaitForAsync("connect", l => ClientOf(l) == client, from);
        return (connect.GetProperty("id").GetString()!, connect.GetProperty("recovered").GetBoolean());
    }

    /// <summary>The first argument of every <paramref name="name"/> event the client received, in order.</summary>
    public IReadOnlyList<JsonElement> Received(string client, string name) => Received(_node.Lines, client, name);

    /// <summary>Every event the client received, as (name, first argument), in order.</summary>
    public IReadOnlyList<(string Name, JsonElement Argument)> AllReceived(string client) =>
        _node.Lines.Where(l => NodeChatProcess.Is(l, "received") && ClientOf(l) == client)
            .Select(l => (l.GetProperty("name").GetString()!, FirstArgument(l)))
            .ToList();

    /// <summary>Waits until the client has received a <paramref name="name"/> event whose first argument matches.</summary>
    public async Task<JsonElement> WaitForReceivedAsync(string client, string name, Func<JsonElement, bool> match, string what)
    {
        var lines = await _node.WaitUntilAsync(all => Received(all, client, name).Any(match), $"{client} to receive {name} {what}");
        return Received(lines, client, name).First(match);
    }

    /// <summary>Waits until the latest <paramref name="name"/> event of the client matches.</summary>
    public async Task<JsonElement> WaitForLatestAsync(string client, string name, Func<JsonElement, bool> match, string what)
    {
        var lines = await _node.WaitUntilAsync(all => Received(all, client, name) is { Count: > 0 } got && match(got[^1]), $"{client}'s latest {name} to be {what}");
        return Received(lines, client, name)[^1];
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private static IReadOnlyList<JsonElement> Received(IReadOnlyList<JsonElement> lines, string client, string name) =>
        lines.Where(l => NodeChatProcess.Is(l, "received") && ClientOf(l) == client && l.GetProperty("name").GetString() == name)
            .Select(FirstArgument)
            .ToList();

    private static JsonElement FirstArgument(JsonElement line)
    {
        var args = line.GetProperty("args");
        return args.GetArrayLength() > 0 ? args[0] : default;
    }

    private static string? ClientOf(JsonElement line) =>
        line.TryGetProperty("client", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
}
