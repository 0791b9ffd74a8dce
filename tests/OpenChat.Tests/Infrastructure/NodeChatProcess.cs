using System.Text.Json;

namespace OpenChat.Tests.Infrastructure;

/// <summary>
/// Runs a chat scenario script of tests/node/scenarios under Node (the official Socket.IO client), writes
/// JSON commands to its stdin and keeps every JSON line it prints. Waits re-check a condition over all the
/// lines so far each time a new one arrives, and are bounded; disposing kills the process tree.
/// </summary>
public sealed class NodeChatProcess : IAsyncDisposable
{
    private readonly NodeProcess _node;

    private NodeChatProcess(NodeProcess node) => _node = node;

    /// <summary>Every line printed so far, in order.</summary>
    public IReadOnlyList<JsonElement> Lines => _node.Lines;

    /// <summary>Starts <c>node scenarios/&lt;script&gt; '&lt;options as JSON&gt;'</c> in tests/node.</summary>
    public static NodeChatProcess Start(string script, object options) => new(NodeProcess.Start(script, options));

    /// <summary>Writes one command, serialized as a JSON line, to the script's stdin.</summary>
    public async Task SendAsync(object command)
    {
        var json = JsonSerializer.Serialize(command, JsonSerializerOptions.Web);
        try
        {
            await _node.SendAsync(command);
        }
        catch (IOException ex)
        {
            throw Failure($"could not take the command {json}: {ex.Message}");
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds over every line so far; fails with the script's output otherwise.</summary>
    public Task<IReadOnlyList<JsonElement>> WaitUntilAsync(Func<IReadOnlyList<JsonElement>, bool> condition, string waitingFor, TimeSpan? timeout = null)
    {
        return _node.WaitUntilAsync(condition, l => Is(l, "timeout") || Is(l, "error"), waitingFor, timeout ?? TaskTimeouts.Default, Failure);
    }

    /// <summary>Waits for the first line with <c>"event": name</c> that matches, counting from line <paramref name="from"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? match = null, int from = 0, TimeSpan? timeout = null)
    {
        bool Found(JsonElement l) => Is(l, name) && (match is null || match(l));
        var lines = await WaitUntilAsync(all => all.Skip(from).Any(Found), $"a \"{name}\" line", timeout);
        return lines.Skip(from).First(Found);
    }

    /// <summary>Asks the script to exit and waits for it, then kills it if it is still running.</summary>
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

    /// <summary>Whether a line has <c>"event": name</c>.</summary>
    public static bool Is(JsonElement line, string name) => NodeProcess.Is(line, name);

    private NodeChatException Failure(string what)
    {
        var stderr = _node.Stderr;

        // The last lines say what the script saw; huge lines (crowd reports) are cut.
        var tail = Lines.TakeLast(40).Select(l => l.GetRawText()).Select(t => "  " + (t.Length > 2000 ? t[..2000] + "…" : t));
        return new NodeChatException(
            $"{_node.Description} {what}.{Environment.NewLine}" +
            $"stdout (last lines):{Environment.NewLine}{string.Join(Environment.NewLine, tail)}{Environment.NewLine}" +
            $"stderr:{Environment.NewLine}{(stderr.Length == 0 ? "  (nothing)" : stderr)}");
    }
}
