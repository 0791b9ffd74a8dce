using System.Net;
using System.Text.Json;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Operations;

/// <summary>What an operator's tools ask of the app over real HTTP: HEAD, health, metrics, the admin page, JSON logs.</summary>
public sealed class OperationsEndpointsTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/home")]
    [InlineData("/socket.io/socket.io.js")]
    [InlineData("/socket.io/socket.io.min.js")]
    [InlineData("/static/chat.css")]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task HEAD_answers_wherever_GET_does_with_the_same_headers_and_no_body(string path)
    {
        await using var host = await ChatHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseUri };

        using var get = await http.GetAsync(path).WithTimeout();
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path)).WithTimeout();

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync().WithTimeout());
        if (get.Content.Headers.ContentLength is long length)
        {
            Assert.Equal(length, head.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task Liveness_and_readiness_are_healthy_on_a_running_app_with_its_store()
    {
        await using var host = await ChatHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseUri };

        foreach (var path in new[] { "/healthz", "/readyz" })
        {
            using var response = await http.GetAsync(path).WithTimeout();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy\n", await response.Content.ReadAsStringAsync().WithTimeout());
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        }
    }

    [Fact]
    public async Task Metrics_are_not_served_unless_Prometheus_is_turned_on()
    {
        await using var host = await ChatHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseUri };

        using var response = await http.GetAsync("/metrics").WithTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Prometheus_scrapes_the_Socket_IO_Kestrel_and_runtime_meters()
    {
        // The app in a process of its own: OpenTelemetry sums same-named instruments across the process, so a chat
        // host of a test running beside this one would add its connections to the counts asserted here.
        var port = OpenChatProcess.FreePort();
        await using var app = OpenChatProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Metrics__Prometheus"] = "true",
        });
        await app.WaitForLineAsync("OpenChat is listening on");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var handshake = await http.GetAsync("/socket.io/?EIO=4&transport=polling").WithTimeout();
        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        (await http.GetAsync("/socket.io/?EIO=5&transport=polling").WithTimeout()).Dispose();

        string text;
        using (var response = await http.GetAsync("/metrics").WithTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            text = await response.Content.ReadAsStringAsync().WithTimeout();
        }

        Assert.Matches(@"socketio_server_active_connections\{[^}]*socketio_transport=""polling""[^}]*\} 1", text);
        Assert.Matches(@"socketio_server_handshakes_refused_total\{[^}]*socketio_handshake_refusal=""unsupported_protocol_version""[^}]*\} 1", text);
        Assert.Contains("socketio_server_bytes_sent_bytes_total", text);
        Assert.Contains("kestrel_active_connections", text);
        Assert.Contains("http_server_request_duration_seconds", text);
        Assert.Contains("dotnet_gc_collections_total", text);
    }

    [Fact]
    public async Task JSON_console_logs_are_one_JSON_object_a_line_when_the_console_formatter_is_json()
    {
        await using var app = OpenChatProcess.Start(new Dictionary<string, string>
        {
            ["PORT"] = OpenChatProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging__Console__FormatterName"] = "json",
        });

        var line = await app.WaitForLineAsync("OpenChat is listening");

        using var log = JsonDocument.Parse(line);
        Assert.Equal("Information", log.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal("OpenChat", log.RootElement.GetProperty("Category").GetString());
        Assert.StartsWith("OpenChat is listening on http://localhost:", log.RootElement.GetProperty("Message").GetString());
        Assert.Equal(1, log.RootElement.GetProperty("EventId").GetInt32());
        Assert.Equal("http://localhost:", log.RootElement.GetProperty("State").GetProperty("Address").GetString()![..17]);
    }
}
