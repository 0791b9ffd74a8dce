using Microsoft.AspNetCore.Http;
using System.Collections.Concurrent;
using System.Net;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>Node's <c>io.engine</c> events: <c>connection_error</c>, <c>initial_headers</c> and <c>headers</c>.</summary>
public sealed class EngineEventsTests
{
    [Fact]
    public async Task Refused_requests_are_reported_with_the_request_the_code_the_message_and_the_status()
    {
        var errors = new ConcurrentQueue<(EngineErrorCode Code, string Message, int StatusCode, string Query)>();
        await using var host = await TestHost.StartAsync(
            configure: o => o.AllowRequest = context => ValueTask.FromResult(context.Request.Query["token"] == "let-me-in"),
            handlers: io => io.Engine.ConnectionError += error =>
                errors.Enqueue((error.Code, error.Message, error.StatusCode, error.Request.QueryString.Value ?? string.Empty)));
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "polling", clients = new { a = new { } } });

        // The official client hears the refusal and keeps trying, as it does for any transport error.
        var refused = await node.WaitForAsync("connect_error");
        Assert.True(refused.GetProperty("active").GetBoolean());
        await host.WaitUntilAsync(() => !errors.IsEmpty);
        var forbidden = errors.First();
        Assert.Equal(EngineErrorCode.Forbidden, forbidden.Code);
        Assert.Equal("Forbidden", forbidden.Message);
        Assert.Equal(403, forbidden.StatusCode);
        Assert.Contains("transport=polling", forbidden.Query, StringComparison.Ordinal);

        using var http = new HttpClient();
        using var unknown = await http.GetAsync(host.Url("EIO=4&transport=polling&sid=nobody"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var version = await http.GetAsync(host.Url("EIO=2&transport=polling"));
        await host.WaitUntilAsync(() => errors.Any(e => e.Code == EngineErrorCode.UnsupportedProtocolVersion));
        var sid = Assert.Single(errors, e => e.Code == EngineErrorCode.UnknownSid);
        Assert.Equal("Session ID unknown", sid.Message);
        Assert.Contains("sid=nobody", sid.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initial_headers_go_on_the_handshake_response_and_headers_on_every_response_of_the_session()
    {
        var initial = new ConcurrentQueue<string>();
        var every = new ConcurrentQueue<(string Method, string Transport, bool Sid, string Cookie)>();
        await using var host = await TestHost.StartAsync(handlers: io =>
        {
            io.Engine.InitialHeaders += (headers, request) =>
            {
                initial.Enqueue(request.Query["transport"].ToString());
                headers.Append("Set-Cookie", "affinity=node-7; Path=/; HttpOnly");
            };
            io.Engine.Headers += (headers, request) =>
            {
                every.Enqueue((request.Method, request.Query["transport"].ToString(), request.Query.ContainsKey("sid"), request.Headers.Cookie.ToString()));
                headers.Append("X-Served-By", "node-7");
            };
            io.On("connection", socket => socket.On("ping", ctx => ctx.Ack("pong")));
        });

        // The official client keeps cookies when told to (withCredentials): it sends the handshake's cookie back.
        await using var node = NodeScript.Start("puppet.js", new
        {
            url = host.BaseUri.ToString(),
            transports = "polling,websocket",
            clients = new { a = new { clientOptions = new { withCredentials = true } } },
        });
        await node.WaitForAsync("upgrade");
        await node.SendAsync(new { cmd = "emit", client = "a", name = "ping", ack = true });
        await node.WaitForAsync("ack");

        Assert.Equal(["polling"], initial.ToArray());
        var requests = every.ToArray();
        Assert.False(requests[0].Sid);
        Assert.Contains(requests, r => r.Method == "POST" && r.Sid);
        Assert.Contains(requests, r => r.Transport == "websocket" && r.Sid);
        Assert.All(requests.Skip(1), r => Assert.Contains("affinity=node-7", r.Cookie, StringComparison.Ordinal));

        using var http = new HttpClient();
        using var handshake = await http.GetAsync(host.Url("EIO=4&transport=polling"));
        Assert.Equal("node-7", Assert.Single(handshake.Headers.GetValues("X-Served-By")));
        Assert.Contains("affinity=node-7; Path=/; HttpOnly", handshake.Headers.GetValues("Set-Cookie"));
        using var refused = await http.GetAsync(host.Url("EIO=4&transport=polling&sid=nobody"));
        Assert.False(refused.Headers.Contains("X-Served-By"), "a refused request is no session's response");
    }
}
