using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenChat.Bench.Running;

/// <summary>A redis-server of the benchmark's own on a free loopback port, without persistence; killed on dispose.</summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RedisProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<RedisProcess> StartAsync(string logFile, CancellationToken cancellationToken)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("redis-server", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--logfile", logFile])
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        var redis = new RedisProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server."), port);
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                await client.GetStream().WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
                var buffer = new byte[8];
                if (await client.GetStream().ReadAsync(buffer, cancellationToken) > 0 && buffer[0] == (byte)'+')
                {
                    return redis;
                }
            }
            catch (SocketException)
            {
            }

            await Task.Delay(50, cancellationToken);
        }

        await redis.DisposeAsync();
        throw new TimeoutException("redis-server did not answer PING within 10 s.");
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
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
        }

        _process.Dispose();
    }
}
