using System.IO.Compression;
using System.Net;
using System.Text;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO.Transports;

/// <summary>
/// Polling payloads compressed with gzip or deflate from 1 KiB when the request accepts it (on by default),
/// and WebSocket permessage-deflate (off by default) compressing messages from its threshold, over raw HTTP
/// and raw WebSocket frames.
/// </summary>
public sealed class CompressionTests
{
    private const string EchoPath = "/engine.io/";
    private static readonly string Large = "4" + string.Concat(Enumerable.Repeat("a chat message that repeats itself ", 40));

    private static Task<TestHost> StartEchoAsync(Action<EngineIOOptions>? configure = null) =>
        TestHost.StartAsync(services: s => s.AddEngineIO(EchoPath, configure), mapMore: app => app.MapEngineIO(EchoPath, new ConformanceHost.EngineEcho()));

    private static async Task<HttpResponseMessage> EchoOverPollingAsync(TestHost host, string message, string? acceptEncoding)
    {
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();
        await client.SendAsync(message);
        var request = new HttpRequestMessage(HttpMethod.Get, client.SessionUrl);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        return await client.Http.SendAsync(request).WithTimeout();
    }

    private static string Decode(byte[] body, string? encoding)
    {
        using var input = new MemoryStream(body);
        using Stream stream = encoding switch
        {
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            "deflate" => new ZLibStream(input, CompressionMode.Decompress),
            _ => input,
        };
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Theory]
    [InlineData("gzip, deflate, br", "gzip")]
    [InlineData("deflate", "deflate")]
    [InlineData("gzip;q=0, deflate", "deflate")]
    [InlineData("deflate;q=1, gzip;q=0.5", "deflate")]
    [InlineData("*", "gzip")]
    [InlineData("br", null)]
    [InlineData(null, null)]
    public async Task A_large_polling_payload_is_compressed_as_the_request_accepts(string? acceptEncoding, string? expected)
    {
        await using var host = await StartEchoAsync();

        using var response = await EchoOverPollingAsync(host, Large, acceptEncoding);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var encoding = response.Content.Headers.ContentEncoding.SingleOrDefault();
        Assert.Equal(expected, encoding);
        var body = await response.Content.ReadAsByteArrayAsync().WithTimeout();
        Assert.Equal(Large, Decode(body, encoding));
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        if (expected is not null)
        {
            Assert.True(body.Length < Large.Length / 4, $"{body.Length} compressed bytes for {Large.Length}");
        }
    }

    [Fact]
    public async Task A_payload_under_the_threshold_or_with_compression_off_goes_as_it_is()
    {
        await using var host = await StartEchoAsync(o => o.HttpCompression.Threshold = Large.Length + 1);
        using var under = await EchoOverPollingAsync(host, Large, "gzip");
        Assert.Empty(under.Content.Headers.ContentEncoding);
        Assert.Equal(Large, await under.Content.ReadAsStringAsync().WithTimeout());

        await using var off = await StartEchoAsync(o => o.HttpCompression.Enabled = false);
        using var plain = await EchoOverPollingAsync(off, Large, "gzip");
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.DoesNotContain("Accept-Encoding", plain.Headers.Vary);
    }

    [Fact]
    public async Task With_per_message_deflate_on_messages_from_the_threshold_are_compressed_and_smaller_ones_are_not()
    {
        await using var host = await StartEchoAsync(o => o.PerMessageDeflate.Enabled = true);
        using var wire = await WireWebSocket.ConnectAsync(host.BaseUri, EchoPath + "?EIO=4&transport=websocket", extensions: "permessage-deflate; client_max_window_bits");
        Assert.Contains("Sec-WebSocket-Extensions: permessage-deflate", wire.ResponseHead, StringComparison.OrdinalIgnoreCase);
        Assert.False((await wire.ReceiveFrameAsync()).Compressed, "the open packet is under the threshold");

        await wire.SendTextAsync(Large);
        var large = await wire.ReceiveFrameAsync();
        await wire.SendTextAsync("4small");
        var small = await wire.ReceiveFrameAsync();

        Assert.True(large.Compressed);
        Assert.True(large.Payload.Length < Large.Length / 4, $"{large.Payload.Length} compressed bytes for {Large.Length}");
        Assert.Equal(Large, Inflate(large.Payload));
        Assert.False(small.Compressed);
        Assert.Equal("4small", Encoding.UTF8.GetString(small.Payload));
    }

    [Fact]
    public async Task Per_message_deflate_is_off_by_default_even_when_the_client_offers_it()
    {
        await using var host = await StartEchoAsync();
        using var wire = await WireWebSocket.ConnectAsync(host.BaseUri, EchoPath + "?EIO=4&transport=websocket", extensions: "permessage-deflate");
        Assert.DoesNotContain("Sec-WebSocket-Extensions", wire.ResponseHead, StringComparison.OrdinalIgnoreCase);
        await wire.ReceiveFrameAsync();

        await wire.SendTextAsync(Large);

        var echoed = await wire.ReceiveFrameAsync();
        Assert.False(echoed.Compressed);
        Assert.Equal(Large, Encoding.UTF8.GetString(echoed.Payload));
    }

    /// <summary>RFC 7692 §7.2.2: the sender dropped the final empty block's tail, which the receiver appends.</summary>
    private static string Inflate(byte[] payload)
    {
        using var input = new MemoryStream([.. payload, 0x00, 0x00, 0xff, 0xff]);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = inflater.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }
}
