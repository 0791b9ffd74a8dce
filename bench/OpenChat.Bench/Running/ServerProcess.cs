using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenChat.Bench.Running;

/// <summary>One compared server, started fresh for a scenario on a free loopback port, its output in a log file.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;

    static ServerProcess()
    {
        // An interrupted run (Ctrl+C, SIGTERM) must not leave a server behind holding ports and memory.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
            }
        };
    }

    private readonly string? _dataFolder;

    private ServerProcess(Process process, Uri baseUri, string? dataFolder)
    {
        _process = process;
        BaseUri = baseUri;
        _dataFolder = dataFolder;
        Running[process.Id] = process;
    }

    /// <summary>CPUs the servers are pinned to with taskset (e.g. "1"), or null to let them run anywhere.</summary>
    public static string? Cpus { get; set; }

    public Uri BaseUri { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static async Task<ServerProcess> StartAsync(ServerDefinition definition, string logFile, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var dataFolder = definition.Arguments.Any(a => a.Contains("{data}", StringComparison.Ordinal)) ? Directory.CreateTempSubdirectory("openchat-bench-").FullName : null;
        var arguments = string.Join(' ', definition.Arguments.Select(a => Quote(a
            .Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{data}", dataFolder ?? string.Empty, StringComparison.Ordinal))));
        var pin = Cpus is { Length: > 0 } cpus ? $"taskset -c {Quote(cpus)} " : string.Empty;

        // exec keeps the server's own pid, so its memory can be read from /proc.
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"exec {pin}{Quote(definition.FileName)} {arguments} >> {Quote(logFile)} 2>&1"])
        {
            WorkingDirectory = definition.WorkingDirectory,
            UseShellExecute = false,
        };
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["NODE_ENV"] = "production";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in definition.Environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {definition.DisplayName}.");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), dataFolder);
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
        }

        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
        if (_dataFolder is not null)
        {
            try
            {
                Directory.Delete(_dataFolder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var handshake = new Uri(BaseUri, "/socket.io/?EIO=4&transport=polling");
        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} while starting; see its log.");
            }

            try
            {
                using var response = await http.GetAsync(handshake, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The server did not answer a handshake within {StartTimeout.TotalSeconds:F0} s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
