using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hosting;

/// <summary>
/// Options come from the <c>SocketIO</c> section (and <c>EngineIO</c> for raw endpoints) of ordinary
/// configuration, then from code, and a bad value stops the host at start with the setting named.
/// </summary>
public sealed class OptionsBindingTests
{
    [Fact]
    public async Task A_setting_on_the_command_line_reaches_the_clients_handshake()
    {
        await using var app = await StartAsync(["--SocketIO:PingInterval=00:00:07", "--SocketIO:PingTimeout=00:00:03", "--SocketIO:MaxHttpBufferSize=5000"]);

        var open = await HandshakeAsync(app, "/socket.io/");

        Assert.Equal(7000, open.GetProperty("pingInterval").GetInt32());
        Assert.Equal(3000, open.GetProperty("pingTimeout").GetInt32());
        Assert.Equal(5000, open.GetProperty("maxPayload").GetInt32());
        var options = app.Services.GetRequiredService<SocketIOServer>().Options;
        Assert.Equal(TimeSpan.FromSeconds(7), options.PingInterval);
    }

    [Fact]
    public async Task Library_limits_and_behaviours_bind_from_configuration_too()
    {
        await using var app = await StartAsync(["--SocketIO:MaxConcurrentHandlersPerSocket=8", "--SocketIO:AcknowledgeHandlerErrors=true", "--SocketIO:AckTimeout=00:00:04", "--SocketIO:Cors:AllowedOrigins:0=https://app.example.com"]);

        var options = app.Services.GetRequiredService<SocketIOServer>().Options;

        Assert.Equal(8, options.MaxConcurrentHandlersPerSocket);
        Assert.True(options.AcknowledgeHandlerErrors);
        Assert.Equal(TimeSpan.FromSeconds(4), options.AckTimeout);
        Assert.Equal(["https://app.example.com"], options.Cors.AllowedOrigins);
    }

    [Fact]
    public async Task Code_runs_after_configuration_so_it_wins()
    {
        await using var app = await StartAsync(["--SocketIO:PingInterval=00:00:07"], o => o.PingInterval = TimeSpan.FromSeconds(9));

        var open = await HandshakeAsync(app, "/socket.io/");

        Assert.Equal(9000, open.GetProperty("pingInterval").GetInt32());
    }

    [Fact]
    public async Task A_raw_engine_endpoint_reads_the_EngineIO_section_and_its_own_code()
    {
        await using var app = await StartAsync(
            ["--EngineIO:PingInterval=00:00:03", "--SocketIO:PingInterval=00:00:07"],
            engine: o => o.PingTimeout = TimeSpan.FromSeconds(2));

        var raw = await HandshakeAsync(app, "/engine.io/");
        var socketIO = await HandshakeAsync(app, "/socket.io/");

        Assert.Equal(3000, raw.GetProperty("pingInterval").GetInt32());
        Assert.Equal(2000, raw.GetProperty("pingTimeout").GetInt32());
        Assert.Equal(7000, socketIO.GetProperty("pingInterval").GetInt32());
    }

    [Theory]
    [InlineData("--SocketIO:PingInterval=-00:00:01", "PingInterval, PingTimeout and UpgradeTimeout must be positive.")]
    [InlineData("--SocketIO:MaxConcurrentHandlersPerSocket=0", "MaxConcurrentHandlersPerSocket must be at least 1")]
    [InlineData("--SocketIO:MaxBufferedIncomingPackets=0", "MaxPendingAcks and MaxBufferedIncomingPackets must be at least 1.")]
    [InlineData("--SocketIO:ConnectTimeout=00:00:00", "ConnectTimeout must be positive.")]
    public async Task A_bad_value_stops_the_host_at_start_and_says_which_setting(string argument, string message)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync([argument]));

        Assert.Contains(failure.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_stops_the_host_at_start()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(["--SocketIO:PingInterval=soon"]));

        Assert.Contains("PingInterval", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<StartedApp> StartAsync(string[] args, Action<SocketIOOptions>? configure = null, Action<OpenChat.SocketIO.EngineIO.EngineIOOptions>? engine = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSocketIO(configure);
        builder.Services.AddEngineIO("/engine.io", engine);
        var app = builder.Build();
        try
        {
            app.MapSocketIO();
            app.MapEngineIO("/engine.io", new ConformanceHost.EngineEcho());
            await app.StartAsync();
            return new StartedApp(app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static async Task<JsonElement> HandshakeAsync(StartedApp app, string path)
    {
        using var http = new HttpClient();
        var body = await http.GetStringAsync(new Uri(app.BaseUri, path + "?EIO=4&transport=polling")).WithTimeout();
        return EnginePayload.ParseOpen(body);
    }

    private sealed class StartedApp(WebApplication app) : IAsyncDisposable
    {
        public Uri BaseUri { get; } = new(app.Urls.First().TrimEnd('/') + "/");

        public IServiceProvider Services => app.Services;

        public async ValueTask DisposeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }
}
