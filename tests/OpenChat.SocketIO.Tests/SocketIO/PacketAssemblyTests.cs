using System.Text;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Tests.Hardening;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>
/// A binary packet and all its attachments are bounded together by MaxHttpBufferSize, and a packet whose
/// attachments do not all arrive within BinaryPacketTimeout ends the connection: attachments cannot be
/// parked in server memory.
/// </summary>
public sealed class PacketAssemblyTests
{
    private const int BufferLimit = 1000;

    // 452-["bin",{placeholder 0},{placeholder 1}]
    private const string TwoAttachments = "452-[\"bin\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_binary_packet_whose_attachments_together_pass_the_buffer_limit_ends_the_connection_as_a_parse_error(bool webSocket)
    {
        var reasons = new DisconnectReasonLog();
        var handled = 0;
        await using var host = await TestHost.StartAsync(
            o => o.MaxHttpBufferSize = BufferLimit,
            io => io.On("connection", s =>
            {
                reasons.Track(s);
                s.On("bin", _ => Interlocked.Increment(ref handled));
            }));
        await using var client = await RawSocketIOClient.OpenAsync(host, webSocket);
        await client.JoinAsync();

        // Each message is well under the limit; together they are not.
        await SendAsync(client, Encoding.UTF8.GetBytes(TwoAttachments), binary: false);
        await SendAsync(client, new byte[500], binary: true);
        await SendAsync(client, new byte[500], binary: true);

        Assert.Equal("parse error", await reasons.For(client.SocketId).WithTimeout());
        await client.Closed.WithTimeout();
        Assert.Equal(0, Volatile.Read(ref handled));
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_binary_packet_exactly_at_the_buffer_limit_with_its_attachments_reaches_its_handler()
    {
        await using var host = await TestHost.StartAsync(
            o => o.MaxHttpBufferSize = BufferLimit,
            io => io.On("connection", s => s.On("bin", ctx => ctx.Ack(ctx.Arguments.Attachments.Sum(a => a.Length)))));
        await using var client = await RawSocketIOClient.OpenWebSocketAsync(host);
        await client.JoinAsync();
        var text = TwoAttachments.Replace("452-[", "452-7[", StringComparison.Ordinal);
        var rest = BufferLimit - Encoding.UTF8.GetByteCount(text);

        Assert.True(await client.TrySendFrameAsync(Encoding.UTF8.GetBytes(text), binary: false));
        Assert.True(await client.TrySendFrameAsync(new byte[rest / 2], binary: true));
        Assert.True(await client.TrySendFrameAsync(new byte[rest - (rest / 2)], binary: true));

        Assert.Equal($"437[{rest}]", await client.NextAsync(p => p.StartsWith("437", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_binary_packet_whose_attachments_stop_coming_ends_the_connection_as_a_parse_error_after_the_timeout_and_not_before()
    {
        var time = new FakeTimeProvider();
        var reasons = new DisconnectReasonLog();
        await using var host = await TestHost.StartAsync(
            o => o.PingInterval = TimeSpan.FromHours(1),
            io => io.On("connection", reasons.Track),
            services: s => s.AddSingleton<TimeProvider>(time));
        var timeout = host.IO.Options.BinaryPacketTimeout;
        Assert.Equal(TimeSpan.FromSeconds(30), timeout);
        await using var client = await RawSocketIOClient.OpenWebSocketAsync(host);
        await client.JoinAsync();

        Assert.True(await client.TrySendFrameAsync(Encoding.UTF8.GetBytes(TwoAttachments), binary: false));
        Assert.True(await client.TrySendFrameAsync([1, 2, 3], binary: true));
        await host.WaitUntilAsync(() => host.IO.Engine.Sessions.Any(s => (s.State as SocketIOConnection)?.PendingAttachments == 1));

        time.Advance(timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(reasons.For(client.SocketId).IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("parse error", await reasons.For(client.SocketId).WithTimeout());
        await client.Closed.WithTimeout();
    }

    [Fact]
    public async Task A_completed_binary_packet_stops_its_timeout()
    {
        var time = new FakeTimeProvider();
        var reasons = new DisconnectReasonLog();
        await using var host = await TestHost.StartAsync(
            o => o.PingInterval = TimeSpan.FromHours(1),
            io => io.On("connection", s =>
            {
                reasons.Track(s);
                s.On("bin", ctx => ctx.Ack(ctx.Arguments.Attachments.Count));
            }),
            services: s => s.AddSingleton<TimeProvider>(time));
        await using var client = await RawSocketIOClient.OpenWebSocketAsync(host);
        await client.JoinAsync();

        Assert.True(await client.TrySendFrameAsync(Encoding.UTF8.GetBytes(TwoAttachments.Replace("452-[", "452-3[", StringComparison.Ordinal)), binary: false));
        Assert.True(await client.TrySendFrameAsync([1], binary: true));
        Assert.True(await client.TrySendFrameAsync([2], binary: true));
        Assert.Equal("433[2]", await client.NextAsync(p => p.StartsWith("433", StringComparison.Ordinal)));
        time.Advance(host.IO.Options.BinaryPacketTimeout * 2);

        await client.SendAsync("42[\"still here\"]");
        Assert.False(reasons.For(client.SocketId).IsCompleted);
        Assert.Equal(1, host.IO.ConnectionCount);
    }

    private static async Task SendAsync(RawSocketIOClient client, byte[] data, bool binary)
    {
        if (client.IsWebSocket)
        {
            await client.TrySendFrameAsync(data, binary);
        }
        else
        {
            // One POST per message: each body is under the limit.
            await client.PostAsync(binary ? Encoding.ASCII.GetBytes("b" + Convert.ToBase64String(data)) : data);
        }
    }
}
