using OpenChat.SocketIO.Adapters;

namespace OpenChat.SocketIO.Tests.SocketIO.Adapters;

/// <summary>The offsets of kept broadcasts: socket.io-adapter's yeast ids, read back and ordered.</summary>
public sealed class PacketOffsetTests
{
    [Theory]
    [InlineData(0L, -1, "0")]
    [InlineData(63L, -1, "_")]
    [InlineData(64L, -1, "10")]
    [InlineData(1_700_000_000_000L, -1, "OlFvMW0")]
    [InlineData(1_764_570_000_123L, -1, "PhOaMhx")]
    [InlineData(1_764_570_000_123L, 0, "PhOaMhx.0")]
    [InlineData(1_764_570_000_123L, 64, "PhOaMhx.10")]
    public void An_offset_prints_as_yeast_does_and_parses_back(long millis, int seed, string text)
    {
        var offset = new PacketOffset(millis, seed);

        Assert.Equal(text, offset.ToString());
        Assert.True(PacketOffset.TryParse(text, out var parsed));
        Assert.Equal(offset, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("PhOaMhx.")]
    [InlineData(".0")]
    [InlineData("PhOaMhx.0.1")]
    [InlineData("Ph+aMhx")]
    [InlineData("\"PhOaMhx\"")]
    [InlineData("zzzzzzzzzzz")]
    [InlineData("PhOaMhx.zzzzzz")]
    public void Anything_else_is_not_an_offset(string? text) => Assert.False(PacketOffset.TryParse(text, out _));

    [Fact]
    public void Offsets_order_by_time_then_by_counter_with_the_first_of_a_millisecond_first()
    {
        string[] texts = ["PhOaMhx.1", "PhOaMhy", "PhOaMhx", "PhOaMhx.0", "PhOaMhx.10", "PhOaMhx.2"];

        var ordered = texts.Select(t => PacketOffset.TryParse(t, out var o) ? o : throw new FormatException(t)).Order().Select(o => o.ToString());

        Assert.Equal(["PhOaMhx", "PhOaMhx.0", "PhOaMhx.1", "PhOaMhx.2", "PhOaMhx.10", "PhOaMhy"], ordered);
    }
}
