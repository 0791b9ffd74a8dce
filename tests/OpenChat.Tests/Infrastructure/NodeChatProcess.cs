using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace OpenChat.Tests.Infrastructure;

/// <summary>
/// Runs a chat scenario script of tests/node/scenarios under Node (the official Socket.IO client), writes
/// JSON commands to its stdin and keeps every JSON line it prints. Waits re-check a condition over all the
/// lines so far each time a new one arrives, and are bounded; disposing kills the process tree.
/// </summary>
public sealed class NodeChatProcess : IAsyncDisposable
{
    private static readonly Lazy<string> NodeFolder = new(FindNodeFolder);

    private readonly Process _process;
    private readonly string _description;
    private readonly List<JsonElement> _lines = new();
    private readonly Channel<bool> _arrivals = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private NodeChatProcess(Process process, string description)
    {
        _process = process;
        _description = description;
        _stdoutPump = PumpStdoutAsync();
        _stderrPump = PumpStderrAsync();
    }

    /// <summary>Every line printed so far, in order.</summary>
    public IReadOnlyList<JsonElement> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts <c>node scenarios/&lt;script&gt; '&lt;options as JSON&gt;'</c> in tests/node.</summary>
    public static NodeChatProcess Start(string script, object options)
    {
        var folder = NodeFolder.Value;
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "socket.io-client")))
        {
            throw new InvalidOperationException($"socket.io-client is not installed in {folder}; building the tests runs npm ci there.");
        }

        var json = JsonSerializer.Serialize(options, JsonSerializerOptions.Web);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine("scenarios", script));
        start.ArgumentList.Add(json);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start node scenarios/{script}.");
        return new NodeChatProcess(process, $"node scenarios/{script}");
    }

    /// <summary>Writes one command, serialized as a JSON line, to the script's stdin.</summary>
    public async Task SendAsync(object command)
    {
        var json = JsonSerializer.Serialize(command, JsonSerializerOptions.Web);
        try
        {
            await _process.StandardInput.WriteLineAsync(json.AsMemory()).WithTimeout();
            await _process.StandardInput.FlushAsync().WithTimeout();
        }
        catch (IOException ex)
        {
            throw Failure($"could not take the command {json}: {ex.Message}");
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds over every line so far; fails with the script's output otherwise.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitUntilAsync(Func<IReadOnlyList<JsonElement>, bool> condition, string waitingFor, TimeSpan? timeout = null)
    {
        var wait = timeout ?? TaskTimeouts.Default;
        using var cancel = new CancellationTokenSource(wait);
        while (true)
        {
            var lines = Lines;
            if (lines.Any(l => Is(l, "timeout") || Is(l, "error")))
            {
                throw Failure($"gave up on its own while waiting for {waitingFor}");
            }

            if (condition(lines))
            {
                return lines;
            }

            try
            {
                if (!await _arrivals.Reader.WaitToReadAsync(cancel.Token))
                {
                    if (condition(Lines))
                    {
                        return Lines;
                    }

                    throw Failure($"ended while waiting for {waitingFor}");
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw Failure($"did not show {waitingFor} within {wait.TotalSeconds:0.#} s");
            }

            while (_arrivals.Reader.TryRead(out _))
            {
            }
        }
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
            if (!_process.HasExited)
            {
                await SendAsync(new { cmd = "exit" });
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is NodeChatException or InvalidOperationException or TimeoutException)
        {
            // Fall through to the kill below.
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }

            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already gone, or beyond reach: nothing more to do in a test.
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Whether a line has <c>"event": name</c>.</summary>
    public static bool Is(JsonElement line, string name) =>
        line.ValueKind == JsonValueKind.Object && line.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String && e.GetString() == name;

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } text)
            {
                if (text.Length == 0)
                {
                    continue;
                }

                JsonElement line;
                try
                {
                    using var document = JsonDocument.Parse(text);
                    line = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    line = JsonSerializer.SerializeToElement(new { @event = "non-json", text });
                }

                lock (_lines)
                {
                    _lines.Add(line);
                }

                _arrivals.Writer.TryWrite(true);
            }
        }
        finally
        {
            _arrivals.Writer.TryComplete();
        }
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } text)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(text);
            }
        }
    }

    private static string FindNodeFolder()
    {
        // The test binaries may live outside the clone (--artifacts-path); then the folder this file was
        // compiled from leads to it.
        var root = FindRoot(AppContext.BaseDirectory) ?? FindRoot(SourceDirectory())
            ?? throw new InvalidOperationException($"OpenChat.sln not found above {AppContext.BaseDirectory} nor above {SourceDirectory()}.");
        return Path.Combine(root, "tests", "node");
    }

    private static string? FindRoot(string? start)
    {
        for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenChat.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string? SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path);

    private NodeChatException Failure(string what)
    {
        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }

        // The last lines say what the script saw; huge lines (crowd reports) are cut.
        var tail = Lines.TakeLast(40).Select(l => l.GetRawText()).Select(t => "  " + (t.Length > 2000 ? t[..2000] + "…" : t));
        return new NodeChatException(
            $"{_description} {what}.{Environment.NewLine}" +
            $"stdout (last lines):{Environment.NewLine}{string.Join(Environment.NewLine, tail)}{Environment.NewLine}" +
            $"stderr:{Environment.NewLine}{(stderr.Length == 0 ? "  (nothing)" : stderr)}");
    }
}
