using System.Text.Json;

namespace OpenChat.SocketIO.Redis.Tests.Infrastructure;

/// <summary>
/// A Node script driven by JSON commands on stdin and read through the JSON lines it prints: the Node server
/// with the Redis adapter, the emitter, notepack (tests/node-cluster), or the official clients (tests/node).
/// Waits re-check a condition over every line so far each time one arrives, and are bounded.
/// </summary>
public sealed class NodeWitness : IAsyncDisposable
{
    private readonly NodeProcess _node;

    private NodeWitness(NodeProcess node) => _node = node;

    public IReadOnlyList<JsonElement> Lines => _node.Lines;

    /// <summary>Starts a script of tests/node-cluster/scenarios.</summary>
    public static NodeWitness StartCluster(string script, object options) => new(NodeProcess.StartClusterWitness(script, options));

    /// <summary>Starts a script of tests/node/scenarios (the official client).</summary>
    public static NodeWitness StartClients(string script, object options) => new(NodeProcess.Start(script, options));

    /// <summary>The Node Socket.IO server with @socket.io/redis-adapter on <paramref name="redis"/>; returns once it listens.</summary>
    public static async Task<(NodeWitness Server, Uri Url)> StartServerAsync(RedisServer redis, params string[] serverSideEvents)
    {
        var server = StartCluster("server.js", new { port = 0, redisUrl = redis.Url, serverSideEvents });
        var listening = await server.WaitForAsync("listening");
        return (server, new Uri($"http://127.0.0.1:{listening.GetProperty("port").GetInt32()}/"));
    }

    public async Task SendAsync(object command)
    {
        try
        {
            await _node.SendAsync(command);
        }
        catch (IOException ex)
        {
            throw Failure($"could not take {JsonSerializer.Serialize(command)}: {ex.Message}");
        }
    }

    /// <summary>Sends a command and waits for its result line (the first line named <paramref name="result"/> after it).</summary>
    public async Task<JsonElement> AskAsync(object command, string result, TimeSpan? timeout = null)
    {
        var from = Lines.Count;
        await SendAsync(command);
        return await WaitForAsync(result, from: from, timeout: timeout);
    }

    public Task<IReadOnlyList<JsonElement>> WaitUntilAsync(Func<IReadOnlyList<JsonElement>, bool> condition, string waitingFor, TimeSpan? timeout = null)
    {
        return _node.WaitUntilAsync(condition, l => Is(l, "timeout") || (Is(l, "error") && !waitingFor.Contains("error", StringComparison.Ordinal)), waitingFor, timeout ?? TaskTimeouts.Default, Failure);
    }

    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? match = null, int from = 0, TimeSpan? timeout = null)
    {
        bool Found(JsonElement l) => Is(l, name) && (match is null || match(l));
        var lines = await WaitUntilAsync(all => all.Skip(from).Any(Found), $"a \"{name}\" line", timeout);
        return lines.Skip(from).First(Found);
    }

    /// <summary>Every <c>received</c> line of one client (chat-clients.js: "client"; server.js: "id") for one event, first argument each.</summary>
    public IReadOnlyList<JsonElement> Received(string who, string eventName) =>
        Lines.Where(l => Is(l, "received") && Of(l) == who && l.GetProperty("name").GetString() == eventName)
            .Select(l => l.GetProperty("args") is { ValueKind: JsonValueKind.Array } a && a.GetArrayLength() > 0 ? a[0] : default)
            .ToList();

    /// <summary>Waits until a client has received <paramref name="count"/> of an event and returns their first arguments.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForReceivedAsync(string who, string eventName, int count = 1)
    {
        await WaitUntilAsync(_ => Received(who, eventName).Count >= count, $"{who} to receive {count} \"{eventName}\"");
        return Received(who, eventName);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_node.HasExited)
            {
                await _node.SendAsync(new { cmd = "exit" });
                await _node.WaitForExitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException)
        {
            // Fall through to the kill.
        }

        await _node.DisposeAsync();
    }

    public static bool Is(JsonElement line, string name) => NodeProcess.Is(line, name);

    private static string? Of(JsonElement line) =>
        line.TryGetProperty("client", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()
        : line.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    private InvalidOperationException Failure(string what)
    {
        var tail = Lines.TakeLast(30).Select(l => "  " + l.GetRawText());
        return new InvalidOperationException(
            $"{_node.Description} {what}.{Environment.NewLine}stdout (last lines):{Environment.NewLine}{string.Join(Environment.NewLine, tail)}{Environment.NewLine}stderr:{Environment.NewLine}{_node.Stderr}");
    }
}
