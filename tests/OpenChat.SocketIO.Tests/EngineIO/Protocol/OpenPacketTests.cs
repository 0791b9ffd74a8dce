using System.Text;
using System.Text.Json;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Tests.EngineIO.Protocol;

/// <summary>The handshake packet the server sends first.</summary>
public sealed class OpenPacketTests
{
    [Fact]
    public void The_open_packet_matches_the_protocol_document_byte_for_byte()
    {
        var frame = OpenPacket.Create("lv_VI97HAXpY6yYWAAAC", canUpgrade: true, TimeSpan.FromMilliseconds(25000), TimeSpan.FromMilliseconds(20000), 1000000);

        Assert.False(frame.IsBinary);
        Assert.Equal(
            "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
            Encoding.UTF8.GetString(frame.Bytes.Span));
    }

    [Fact]
    public void A_session_that_cannot_upgrade_announces_no_upgrades()
    {
        var frame = OpenPacket.Create("abc", canUpgrade: false, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 5);

        Assert.Equal(
            "0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":1000,\"pingTimeout\":2000,\"maxPayload\":5}",
            Encoding.UTF8.GetString(frame.Bytes.Span));
    }

    [Fact]
    public void The_open_packet_decodes_as_an_open_packet_whose_body_is_valid_json()
    {
        var frame = OpenPacket.Create("x-_y", canUpgrade: true, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(200), 1_000_000);

        Assert.True(EngineV4Codec.TryDecodeText(frame.Bytes, out var packet));
        Assert.Equal(EnginePacketType.Open, packet.Type);
        using var json = JsonDocument.Parse(packet.Data);
        var root = json.RootElement;
        Assert.Equal("x-_y", root.GetProperty("sid").GetString());
        Assert.Equal(300, root.GetProperty("pingInterval").GetInt64());
        Assert.Equal(200, root.GetProperty("pingTimeout").GetInt64());
        Assert.Equal(1_000_000, root.GetProperty("maxPayload").GetInt64());
        Assert.Equal(["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"], root.EnumerateObject().Select(p => p.Name).ToArray());
    }
}
