using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace OpenChat.SocketIO.Tests.Samples;

/// <summary>
/// samples/ConformanceHost run as its own process, as a user runs it (<c>dotnet ConformanceHost.dll port</c>):
/// the timing-sensitive protocol suites then share no thread pool with the tests running beside them.
/// </summary>
internal sealed class ConformanceHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ConformanceHostProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>What the host printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ConformanceHostProcess> StartAsync(params string[] arguments)
    {
        var port = FreePort.Find();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ConformanceHost.dll"));
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var host = new ConformanceHostProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the conformance host."), port);
        try
        {
            await host.WaitUntilListeningAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
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

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        using var limit = new CancellationTokenSource(TaskTimeouts.Default);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The conformance host exited with {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port, limit.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, limit.Token);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
