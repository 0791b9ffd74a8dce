using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace OpenChat.Testing;

/// <summary>
/// A script of <c>tests/node/scenarios</c> (the official Socket.IO client under Node) run as a child
/// process: options as a JSON argument, commands as JSON lines on stdin, observations as JSON lines on
/// stdout. Stderr is kept for failure messages. Shared by both test projects.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private static readonly Lazy<string> NodeFolder = new(() => FindNodeFolder("node", "socket.io-client"));
    private static readonly Lazy<string> ClusterFolder = new(() => FindNodeFolder("node-cluster", "@socket.io/redis-adapter"));
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly List<JsonElement> _lines = new();
    private readonly Channel<JsonElement> _arrivals = Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StringBuilder _stderr = new();

    private NodeProcess(Process process, string description)
    {
        _process = process;
        Description = description;
        StdoutPump = PumpStdoutAsync();
        StderrPump = PumpStderrAsync();
    }

    /// <summary>The command line, for failure messages.</summary>
    public string Description { get; }

    /// <summary>Every line printed so far (lines that are not JSON appear as <c>{"event":"non-json","text":...}</c>).</summary>
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

    /// <summary>Each line once, as it arrives; completes when stdout ends.</summary>
    public ChannelReader<JsonElement> Arrivals => _arrivals.Reader;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public Task StdoutPump { get; }

    public Task StderrPump { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string ExitCodeText => _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";

    /// <summary>Starts a script of tests/node/scenarios (the official client).</summary>
    public static NodeProcess Start(string script, object options) => Start(NodeFolder.Value, script, options);

    /// <summary>Starts a script of tests/node-cluster/scenarios (the Node server with the Redis adapter, the emitter, notepack).</summary>
    public static NodeProcess StartClusterWitness(string script, object options) => Start(ClusterFolder.Value, script, options);

    private static NodeProcess Start(string folder, string script, object options)
    {
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
        var description = $"node {Path.GetFileName(folder)}/scenarios/{script} {json}";
        try
        {
            var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {description}.");
            return new NodeProcess(process, description);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start Node.js (is `node` on PATH?) for {description}: {ex.Message}", ex);
        }
    }

    /// <summary>Whether a line has <c>"event": name</c>.</summary>
    public static bool Is(JsonElement line, string name) =>
        line.ValueKind == JsonValueKind.Object && line.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String && e.GetString() == name;

    /// <summary>Writes one command line; throws <see cref="IOException"/> when the script no longer reads.</summary>
    public async Task SendAsync(object command)
    {
        var json = JsonSerializer.Serialize(command, JsonSerializerOptions.Web);
        await _process.StandardInput.WriteLineAsync(json.AsMemory()).WaitAsync(CommandTimeout);
        await _process.StandardInput.FlushAsync().WaitAsync(CommandTimeout);
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds over every line so far. Fails, with the exception
    /// <paramref name="failure"/> makes of the reason, when a line says the script gave up
    /// (<paramref name="givesUp"/>), when it ends first, or after <paramref name="wait"/>.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> WaitUntilAsync(
        Func<IReadOnlyList<JsonElement>, bool> condition,
        Func<JsonElement, bool> givesUp,
        string waitingFor,
        TimeSpan wait,
        Func<string, Exception> failure)
    {
        using var cancel = new CancellationTokenSource(wait);
        while (true)
        {
            var lines = Lines;
            if (lines.Any(givesUp))
            {
                throw failure($"gave up on its own while waiting for {waitingFor}");
            }

            if (condition(lines))
            {
                return lines;
            }

            try
            {
                if (!await Arrivals.WaitToReadAsync(cancel.Token))
                {
                    if (condition(Lines))
                    {
                        return Lines;
                    }

                    throw failure($"ended while waiting for {waitingFor}");
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw failure($"did not show {waitingFor} within {wait.TotalSeconds:0.#} s");
            }

            while (Arrivals.TryRead(out _))
            {
            }
        }
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
            await Task.WhenAll(StdoutPump, StderrPump).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already gone, or stuck beyond reach: nothing more to do in a test.
        }
        finally
        {
            _process.Dispose();
        }
    }

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

                lock (_lines)
                {
                    _lines.Add(line);
                }

                _arrivals.Writer.TryWrite(line);
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

    private static string FindNodeFolder(string name, string package)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "tests", name);
        if (!Directory.Exists(Path.Combine(folder, "node_modules", package)))
        {
            throw new InvalidOperationException($"{package} is not installed in {folder}; building the tests runs npm ci there.");
        }

        return folder;
    }
}
