using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
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

    private static readonly Lazy<string> NodeFolder = new(FindNodeFolder);

    private readonly Process _process;
    private readonly string _description;
    private readonly Channel<JsonElement> _lines = Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<JsonElement> _history = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private NodeScript(Process process, string description)
    {
        _process = process;
        _description = description;
        _stdoutPump = PumpStdoutAsync();
        _stderrPump = PumpStderrAsync();
    }

    /// <summary>Every line read so far, in order.</summary>
    public IReadOnlyList<JsonElement> History
    {
        get
        {
            lock (_history)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>Starts <c>node scenarios/&lt;script&gt; '&lt;options as JSON&gt;'</c> in tests/node.</summary>
    public static NodeScript Start(string script, object options)
    {
        var folder = NodeFolder.Value;
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
        var description = $"node scenarios/{script} {json}";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {description}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start Node.js (is `node` on PATH?) for {description}: {ex.Message}", ex);
        }

        return new NodeScript(process, description);
    }

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
                if (!await _lines.Reader.WaitToReadAsync(cancel.Token) || !_lines.Reader.TryRead(out line))
                {
                    await WaitForProcessExitQuietlyAsync();
                    throw Failure($"exited (code {ExitCodeText()}) while waiting for {waitingFor}");
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
            await _process.StandardInput.WriteLineAsync(json.AsMemory()).WithTimeout();
            await _process.StandardInput.FlushAsync().WithTimeout();
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
            await _process.WaitForExitAsync().WaitAsync(wait);
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(wait);
        }
        catch (TimeoutException)
        {
            throw Failure($"did not exit within {wait.TotalSeconds:0.#} s");
        }

        if (_process.ExitCode != 0)
        {
            throw Failure($"exited with code {_process.ExitCode}");
        }

        return History;
    }

    /// <summary>Kills the script and its children if still running.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already gone, or stuck beyond our reach: nothing more to do in a test.
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
                    // Keep stray output visible instead of failing the pump.
                    line = JsonSerializer.SerializeToElement(new { @event = "non-json", text });
                }

                lock (_history)
                {
                    _history.Add(line);
                }

                _lines.Writer.TryWrite(line);
            }
        }
        finally
        {
            _lines.Writer.TryComplete();
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

    private async Task WaitForProcessExitQuietlyAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(2));
            await _stderrPump.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            // Reported as an unknown exit code.
        }
    }

    private string ExitCodeText() => _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";

    private Exception Failure(string what)
    {
        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }

        var stdout = string.Join(Environment.NewLine, History.Select(l => "  " + l.GetRawText()));
        return new NodeScriptException(
            $"{_description} {what}.{Environment.NewLine}" +
            $"stdout:{Environment.NewLine}{(stdout.Length == 0 ? "  (nothing)" : stdout)}{Environment.NewLine}" +
            $"stderr:{Environment.NewLine}{(stderr.Length == 0 ? "  (nothing)" : stderr)}");
    }

    private static string FindNodeFolder()
    {
        // The test binaries may live outside the repository (--artifacts-path), so the folder this source
        // file was compiled from is the second place to start looking.
        var root = FindRepositoryRoot(AppContext.BaseDirectory) ?? FindRepositoryRoot(SourceDirectory())
            ?? throw new InvalidOperationException($"OpenChat.sln not found above {AppContext.BaseDirectory} nor above {SourceDirectory()}; cannot locate tests/node.");
        var folder = Path.Combine(root, "tests", "node");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "socket.io-client")))
        {
            throw new InvalidOperationException(
                $"socket.io-client is not installed in {folder}. Run `npm ci` (or `npm install --no-audit --no-fund`) there first.");
        }

        return folder;
    }

    private static string? FindRepositoryRoot(string? start)
    {
        var directory = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenChat.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName;
    }

    private static string? SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path);
}

/// <summary>A Node scenario script failed; the message carries its stdout and stderr.</summary>
public sealed class NodeScriptException(string message) : Exception(message);
