using System.Text.Json;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Clients;

/// <summary>
/// Runs one of the Node scenario scripts of tests/node/scenarios (the official Socket.IO client) and reads
/// the JSON observations it prints, one object per line, as they come. Commands can be written to its
/// stdin for interactive scripts. Every wait is bounded; disposing kills the whole process tree.
/// </summary>
public sealed class NodeScript : IAsyncDisposable
{
    /// <summary>How long one wait for a line may take by default.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly NodeProcess _node;

    private NodeScript(NodeProcess node) => _node = node;

    /// <summary>Every line read so far, in order.</summary>
    public IReadOnlyList<JsonElement> History => _node.Lines;

    /// <summary>Starts <c>node scenarios/&lt;script&gt; '&lt;options as JSON&gt;'</c> in tests/node.</summary>
    public static NodeScript Start(string script, object options) => new(NodeProcess.Start(script, options));

    /// <summary>Starts <c>node scenarios/&lt;script&gt;</c> in tests/node-cluster: the Node reference server, as a witness.</summary>
    public static NodeScript StartWitness(string script, object options) => new(NodeProcess.StartClusterWitness(script, options));

    /// <summary>Runs a script to its end and returns every line; fails unless it exits with code 0 in time.</summary>
    public static async Task<IReadOnlyList<JsonElement>> RunAsync(string script, object options, TimeSpan? timeout = null)
    {
        await using var node = Start(script, options);
        return await node.WaitForExitAsync(timeout);
    }

    /// <summary>Reads lines until one has <c>"event": eventName</c> (and matches the filter); earlier lines stay in <see cref="History"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string eventName, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var found = await CollectUntilAsync(
            lines => lines.Count > 0 && Is(lines[^1], eventName) && (match is null || match(lines[^1])),
            $"a line with \"event\":\"{eventName}\"",
            timeout);
        return found[^1];
    }

    /// <summary>
    /// Reads lines until <paramref name="done"/> holds for the lines read by this call, and returns them.
    /// Fails with the script's output if it times out, exits first, or reports its own timeout.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> CollectUntilAsync(Func<IReadOnlyList<JsonElement>, bool> done, string waitingFor, TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultWait;
        using var cancel = new CancellationTokenSource(wait);
        var collected = new List<JsonElement>();
        while (true)
        {
            JsonElement line;
            try
            {
                if (!await _node.Arrivals.WaitToReadAsync(cancel.Token) || !_node.Arrivals.TryRead(out line))
                {
                    await WaitForProcessExitQuietlyAsync();
                    throw Failure($"exited (code {_node.ExitCodeText}) while waiting for {waitingFor}");
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw Failure($"printed nothing more within {wait.TotalSeconds:0.#} s while waiting for {waitingFor}");
            }

            collected.Add(line);
            if (Is(line, "timeout"))
            {
                throw Failure($"gave up on its own ({line.GetRawText()}) while waiting for {waitingFor}");
            }

            if (done(collected))
            {
                return collected;
            }
        }
    }

    /// <summary>Writes one command (serialized as a JSON line) to the script's stdin.</summary>
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

    /// <summary>Waits for the script to exit by itself with code 0 and returns every line it printed.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultWait;
        try
        {
            await _node.WaitForExitAsync(wait);
            await Task.WhenAll(_node.StdoutPump, _node.StderrPump).WaitAsync(wait);
        }
        catch (TimeoutException)
        {
            throw Failure($"did not exit within {wait.TotalSeconds:0.#} s");
        }

        if (_node.ExitCode != 0)
        {
            throw Failure($"exited with code {_node.ExitCode}");
        }

        return History;
    }

    /// <summary>Kills the script and its children if still running.</summary>
    public ValueTask DisposeAsync() => _node.DisposeAsync();

    /// <summary>Whether a line has <c>"event": name</c>.</summary>
    public static bool Is(JsonElement line, string name) => NodeProcess.Is(line, name);

    private async Task WaitForProcessExitQuietlyAsync()
    {
        try
        {
            await _node.WaitForExitAsync(TimeSpan.FromSeconds(2));
            await _node.StderrPump.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            // Reported as an unknown exit code.
        }
    }

    private Exception Failure(string what)
    {
        var stderr = _node.Stderr;
        var stdout = string.Join(Environment.NewLine, History.Select(l => "  " + l.GetRawText()));
        return new NodeScriptException(
            $"{_node.Description} {what}.{Environment.NewLine}" +
            $"stdout:{Environment.NewLine}{(stdout.Length == 0 ? "  (nothing)" : stdout)}{Environment.NewLine}" +
            $"stderr:{Environment.NewLine}{(stderr.Length == 0 ? "  (nothing)" : stderr)}");
    }
}

/// <summary>A Node scenario script failed; the message carries its stdout and stderr.</summary>
public sealed class NodeScriptException(string message) : Exception(message);
