using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenChat.Tests.Infrastructure;

/// <summary>
/// The built app run as a user runs it (<c>dotnet OpenChat.dll</c>), from the test output folder where the
/// project reference copies it with its templates and appsettings.json. Stdout is kept; disposing kills it.
/// </summary>
public sealed class OpenChatProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _pumps;
    private readonly TempFolder? _ownFolder;
    private volatile bool _stdoutClosed;

    private OpenChatProcess(Process process, TempFolder? ownFolder)
    {
        _process = process;
        _ownFolder = ownFolder;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, line =>
        {
            lock (_stdout)
            {
                _stdout.Add(line);
            }

            _arrived.Release();
        }, () =>
        {
            _stdoutClosed = true;
            _arrived.Release();
        }), PumpAsync(process.StandardError, line =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }, () => { }));
    }

    public IReadOnlyList<string> Stdout
    {
        get
        {
            lock (_stdout)
            {
                return [.. _stdout];
            }
        }
    }

    /// <summary>The app's process id (prlimit execs the app, so it is the app's own).</summary>
    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The app's resident memory (<c>VmRSS</c>), in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("No VmRSS line.");
    }

    /// <summary>
    /// Starts the app in Production with exactly the given environment variables on top of a cleaned
    /// environment (no inherited ASPNETCORE_/DOTNET_ URLs or ports). Unless they name a store
    /// (<c>Storage__*</c>, <c>ConnectionStrings__Chat</c>), the history goes to a temp folder deleted on dispose.
    /// With <paramref name="openFileLimit"/>, under that <c>ulimit -n</c> (soft and hard), set by <c>prlimit</c>.
    /// </summary>
    public static OpenChatProcess Start(IReadOnlyDictionary<string, string> environment, int? openFileLimit = null)
    {
        var folder = AppContext.BaseDirectory;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(openFileLimit is null ? dotnet : "prlimit")
        {
            // The content root (appsettings.json) is the working directory; templates sit beside the dll.
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        if (openFileLimit is int limit)
        {
            start.ArgumentList.Add($"--nofile={limit}:{limit}");
            start.ArgumentList.Add(dotnet);
        }

        start.ArgumentList.Add(Path.Combine(folder, "OpenChat.dll"));
        foreach (var name in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_HTTP_PORTS", "PORT", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            start.Environment.Remove(name);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Storage__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var ownFolder = environment.Keys.Any(k => k.StartsWith("Storage__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
            ? null
            : new TempFolder();
        if (ownFolder is not null)
        {
            start.Environment["Storage__DataFolder"] = ownFolder.Path;
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new OpenChatProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet OpenChat.dll."), ownFolder);
    }

    /// <summary>Everything written to stderr so far.</summary>
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

    /// <summary>Waits for the app to exit on its own and returns its exit code, once its output has been read.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout ?? TaskTimeouts.Default);
        await _pumps.WaitAsync(TimeSpan.FromSeconds(5));
        return _process.ExitCode;
    }

    /// <summary>A loopback TCP port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits for a stdout line containing <paramref name="text"/>; fails with the output if the app exits or stays silent.</summary>
    public Task<string> WaitForLineAsync(string text, TimeSpan? timeout = null) => WaitForLineAsync(text, 1, timeout);

    /// <summary>Waits for the <paramref name="occurrence"/>-th line (counting from 1, since the start) that contains <paramref name="text"/>.</summary>
    public async Task<string> WaitForLineAsync(string text, int occurrence, TimeSpan? timeout = null)
    {
        var wait = timeout ?? TaskTimeouts.Default;
        using var cancel = new CancellationTokenSource(wait);
        var seen = 0;
        var found = 0;
        while (true)
        {
            var lines = Stdout;
            foreach (var line in lines.Skip(seen))
            {
                if (line.Contains(text, StringComparison.Ordinal) && ++found == occurrence)
                {
                    return line;
                }
            }

            seen = lines.Count;
            if (_stdoutClosed && _arrived.CurrentCount == 0)
            {
                throw Failure($"closed its output (exited) before printing \"{text}\" {Times(occurrence)}");
            }

            try
            {
                await _arrived.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw Failure($"did not print \"{text}\" {Times(occurrence)} within {wait.TotalSeconds:0.#} s (printed it {found} times)");
            }
        }
    }

    /// <summary>How many lines so far contain <paramref name="text"/>.</summary>
    public int CountLines(string text) => Stdout.Count(l => l.Contains(text, StringComparison.Ordinal));

    private static string Times(int occurrence) => occurrence == 1 ? "once" : $"{occurrence} times";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await _pumps.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already gone, or beyond reach: nothing more to do in a test.
        }
        finally
        {
            _process.Dispose();
            _arrived.Dispose();
            _ownFolder?.Dispose();
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> line, Action closed)
    {
        while (await reader.ReadLineAsync() is { } text)
        {
            line(text);
        }

        closed();
    }

    private InvalidOperationException Failure(string what)
    {
        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }

        return new InvalidOperationException(
            $"dotnet OpenChat.dll {what}.{Environment.NewLine}stdout:{Environment.NewLine}{string.Join(Environment.NewLine, Stdout)}{Environment.NewLine}stderr:{Environment.NewLine}{stderr}");
    }
}
