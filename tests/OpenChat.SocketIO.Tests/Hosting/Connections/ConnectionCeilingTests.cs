using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Tests.Hardening;

namespace OpenChat.SocketIO.Tests.Hosting.Connections;

/// <summary>UseConnectionCeiling on a real Kestrel: at most the ceiling is held, newcomers are closed at once, and a free place is taken at once.</summary>
public sealed class ConnectionCeilingTests
{
    private const int Ceiling = 3;

    [Fact]
    public async Task Kestrel_holds_at_most_the_ceiling_closes_newcomers_at_once_and_serves_again_when_one_leaves()
    {
        var logs = new LogCapture();
        await using var app = await StartAsync(logs, o => o.MaxConnections = Ceiling);
        var port = new Uri(app.Urls.First()).Port;
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < Ceiling; i++)
            {
                var socket = await ConnectAsync(port);
                held.Add(socket);
                Assert.Equal("hello", await GetAsync(socket));
            }

            for (var i = 0; i < 5; i++)
            {
                using var refused = await ConnectAsync(port);
                Assert.Null(await GetAsync(refused));
            }

            // The kept connections are still served.
            Assert.Equal("hello", await GetAsync(held[0]));

            held[^1].Dispose();
            held.RemoveAt(held.Count - 1);
            using var newcomer = await ServedConnectionAsync(port);

            var warning = Assert.Single(logs.Entries, e => e.EventId.Name == "ConnectionCeilingReached");
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Contains("Connection ceiling of 3 reached", warning.Message);
            logs.AssertNoFaults();
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task The_ceiling_in_force_is_logged_when_the_server_starts()
    {
        var logs = new LogCapture();
        await using var app = await StartAsync(logs, o => o.MaxConnections = 1234);

        Assert.Contains(logs.Entries, e => e.EventId.Name == "ConnectionCeiling" && e.Message.Contains("at most 1234 connections", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_maximum_fails_the_start()
    {
        var logs = new LogCapture();
        var failure = await Record.ExceptionAsync(() => StartAsync(logs, o => o.MaxConnections = 0));

        Assert.IsType<Microsoft.Extensions.Options.OptionsValidationException>(failure);
    }

    private static async Task<WebApplication> StartAsync(LogCapture logs, Action<ConnectionCeilingOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseConnectionCeiling(configure);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        var app = builder.Build();
        app.MapGet("/", () => "hello");
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WithTimeout();
        return socket;
    }

    /// <summary>The body of GET / over a kept-alive connection, or null when the server closed it instead.</summary>
    private static async Task<string?> GetAsync(Socket socket)
    {
        try
        {
            await socket.SendAsync("GET / HTTP/1.1\r\nHost: test\r\n\r\n"u8.ToArray(), SocketFlags.None).WithTimeout();
            var buffer = new byte[4096];
            var response = new StringBuilder();
            while (!response.ToString().Contains("hello", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None).WithTimeout();
                if (read == 0)
                {
                    return null;
                }

                response.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return "hello";
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>A new connection that is served; the server notices a closed connection a moment after the client closes it.</summary>
    private static async Task<Socket> ServedConnectionAsync(int port)
    {
        using var limit = new CancellationTokenSource(TaskTimeouts.Default);
        while (true)
        {
            var socket = await ConnectAsync(port);
            if (await GetAsync(socket) == "hello")
            {
                return socket;
            }

            socket.Dispose();
            await Task.Delay(10, limit.Token);
        }
    }
}
