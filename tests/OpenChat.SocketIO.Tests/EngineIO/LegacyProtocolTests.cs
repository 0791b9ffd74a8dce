using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Tests.Hardening;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>
/// Engine.IO 3 over raw HTTP: refused with code 5 (and one Information line per address saying why) unless
/// <see cref="EngineIOOptions.AllowEIO3"/> is on; then length-prefixed payloads both ways, binary payloads
/// for clients that support them, and credentialed CORS for listed origins.
/// </summary>
public sealed class LegacyProtocolTests
{
    private const string EchoPath = "/engine.io/";
    private const string Site = "http://chat.example";

    private static Task<TestHost> StartEchoAsync(Action<OpenChat.SocketIO.EngineIO.EngineIOOptions> configure, LogCapture? logs = null) =>
        TestHost.StartAsync(
            services: s =>
            {
                s.AddEngineIO(EchoPath, configure);
                if (logs is not null)
                {
                    s.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
                }
            },
            mapMore: app => app.MapEngineIO(EchoPath, new ConformanceHost.EngineEcho()));

    private static async Task<(string Sid, string Body)> HandshakeAsync(HttpClient http, TestHost host, string query = "")
    {
        var body = await http.GetStringAsync(host.Url("EIO=3&transport=polling" + query, EchoPath)).WithTimeout();
        var colon = body.IndexOf(':');
        var open = EnginePayload.ParseOpen(body[(colon + 1)..]);
        return (open.GetProperty("sid").GetString()!, body);
    }

    [Fact]
    public async Task Without_allow_eio3_a_v3_handshake_is_refused_with_code_5_and_logged_once_per_address_with_the_reason()
    {
        var logs = new LogCapture();
        await using var host = await StartEchoAsync(_ => { }, logs);
        using var http = new HttpClient();

        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(host.Url("EIO=3&transport=polling", EchoPath)).WithTimeout();
            await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 5, "Unsupported protocol version");
        }

        var entry = Assert.Single(logs.Entries, e => e.EventId.Name == "ProtocolRefused");
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("127.0.0.1", entry.Message);
        Assert.Contains("AllowEIO3", entry.Message);
    }

    [Fact]
    public async Task A_v3_session_speaks_length_prefixed_payloads_with_lengths_in_utf16_units()
    {
        await using var host = await StartEchoAsync(o => o.AllowEIO3 = true);
        using var http = new HttpClient();
        var (sid, body) = await HandshakeAsync(http, host);
        Assert.Equal(body.Length - body.IndexOf(':') - 1, int.Parse(body[..body.IndexOf(':')]));
        var session = host.Url($"EIO=3&transport=polling&sid={sid}", EchoPath);

        using var posted = await http.PostAsync(session, new StringContent("3:4é€3:4😀", Encoding.UTF8, "text/plain")).WithTimeout();
        Assert.Equal("ok", await posted.Content.ReadAsStringAsync().WithTimeout());

        Assert.Equal("3:4é€3:4😀", await http.GetStringAsync(session).WithTimeout());
    }

    [Fact]
    public async Task Binary_comes_back_as_a_binary_payload_or_as_base64_text_for_a_client_that_asked_for_b64()
    {
        await using var host = await StartEchoAsync(o => o.AllowEIO3 = true);
        using var http = new HttpClient();
        foreach (var b64 in new[] { false, true })
        {
            var (sid, _) = await HandshakeAsync(http, host, b64 ? "&b64=1" : "");
            var session = host.Url($"EIO=3&transport=polling&sid={sid}", EchoPath);
            var content = new ByteArrayContent([1, 4, 255, 4, 1, 2, 3]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var posted = await http.PostAsync(session, content).WithTimeout();
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

            using var poll = await http.GetAsync(session).WithTimeout();
            var bytes = await poll.Content.ReadAsByteArrayAsync().WithTimeout();
            if (b64)
            {
                Assert.Equal("text/plain", poll.Content.Headers.ContentType?.MediaType);
                Assert.Equal("6:b4AQID", Encoding.ASCII.GetString(bytes));
            }
            else
            {
                Assert.Equal("application/octet-stream", poll.Content.Headers.ContentType?.MediaType);
                Assert.Equal(new byte[] { 1, 4, 255, 4, 1, 2, 3 }, bytes);
            }
        }
    }

    [Theory]
    [InlineData("EIO=3", Site, true)]
    [InlineData("EIO=4", Site, false)]
    [InlineData("EIO=3", "*", false)]
    public async Task A_listed_origin_gets_credentialed_cors_answers_to_its_v3_polls_only(string version, string allowed, bool credentials)
    {
        await using var host = await StartEchoAsync(o =>
        {
            o.AllowEIO3 = true;
            o.Cors.AllowedOrigins.Add(allowed);
        });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url(version + "&transport=polling", EchoPath));
        request.Headers.Add("Origin", Site);

        using var response = await http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([credentials || allowed != "*" ? Site : "*"], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal(credentials, response.Headers.TryGetValues("Access-Control-Allow-Credentials", out var values) && values.Single() == "true");
    }
}
