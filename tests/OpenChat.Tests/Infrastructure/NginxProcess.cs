using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenChat.Tests.Infrastructure;

/// <summary>
/// Debian's nginx run in a temp prefix: its pid, logs and temp paths live in one folder, it stays in the
/// foreground (<c>daemon off</c>) as a child of the test, needs no privilege beyond unprivileged ports, and
/// disposing stops it and removes the folder. The site configuration is included inside <c>http { }</c>, as
/// Debian includes <c>/etc/nginx/conf.d/*.conf</c>.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly StringBuilder _stderr = new();

    private NginxProcess(Process process, DirectoryInfo folder)
    {
        _process = process;
        _folder = folder;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    private static string Executable =>
        Environment.GetEnvironmentVariable("NGINX_PATH") is { Length: > 0 } path ? path
        : File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx"
        : "nginx";

    /// <summary>What nginx logged: start-up problems, and every upstream error.</summary>
    public string ErrorLog => ReadShared(Path.Combine(_folder.FullName, "error.log"));

    /// <summary>One line per request nginx proxied.</summary>
    public string AccessLog => ReadShared(Path.Combine(_folder.FullName, "access.log"));

    /// <summary>Starts nginx with <paramref name="site"/> and waits until it accepts connections on every port in <paramref name="ports"/>.</summary>
    public static async Task<NginxProcess> StartAsync(string site, params int[] ports)
    {
        var folder = Directory.CreateTempSubdirectory("openchat-nginx-");

        // Run as root, nginx's workers drop to "nobody", which must reach the temp paths nginx creates in here.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var prefix = folder.FullName;
        await File.WriteAllTextAsync(Path.Combine(prefix, "site.conf"), site);
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), $$"""
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log info;
            worker_processes 1;
            events { worker_connections 512; }
            http {
                access_log {{prefix}}/access.log;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                include {{prefix}}/site.conf;
            }
            """);

        var start = Arguments(prefix);
        start.ArgumentList.Add("-g");
        start.ArgumentList.Add("daemon off;");
        var nginx = new NginxProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start nginx."), folder);
        try
        {
            await nginx.WaitForPortsAsync(ports);
            return nginx;
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Fast shutdown (SIGTERM to the master, which stops its workers): open WebSockets would hold up a graceful quit.
                var stop = Arguments(_folder.FullName);
                stop.ArgumentList.Add("-s");
                stop.ArgumentList.Add("stop");
                using (var signal = Process.Start(stop))
                {
                    await (signal?.WaitForExitAsync() ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(5));
                }

                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
            _folder.Delete(recursive: true);
        }
    }

    private static ProcessStartInfo Arguments(string prefix)
    {
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", prefix + "/", "-c", prefix + "/nginx.conf", "-e", prefix + "/error.log" })
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private async Task WaitForPortsAsync(int[] ports)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        foreach (var port in ports)
        {
            while (!await AcceptsAsync(port, deadline.Token))
            {
                if (_process.HasExited)
                {
                    throw Failure($"exited with code {_process.ExitCode} before listening on {port}");
                }

                if (deadline.IsCancellationRequested)
                {
                    throw Failure($"did not listen on {port} within 15 s");
                }

                await Task.Delay(20);
            }
        }
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancel)
    {
        try
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, port, cancel);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private InvalidOperationException Failure(string what)
    {
        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }

        return new InvalidOperationException($"nginx {what}.\nstderr:\n{stderr}\nerror.log:\n{ErrorLog}\nsite.conf:\n{ReadShared(Path.Combine(_folder.FullName, "site.conf"))}");
    }

    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
