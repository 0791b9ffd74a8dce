using OpenChat.SocketIO.Adapters;

namespace OpenChat.SocketIO.Tests.SocketIO.Adapters;

/// <summary>The adapter's member sets: a set's contract whether it holds none, one (inline) or many members.</summary>
public sealed class CompactStringSetTests
{
    [Fact]
    public void An_empty_set_has_no_members()
    {
        var set = new CompactStringSet();

        Assert.True(set.Count == 0, "Count");
        Assert.Empty(set);
        Assert.DoesNotContain("a", set);
        Assert.False(set.Remove("a"));
    }

    [Fact]
    public void One_member_is_added_once_found_and_removed()
    {
        var set = new CompactStringSet();

        Assert.True(set.Add("a"));
        Assert.False(set.Add("a"));
        Assert.True(set.Count == 1, "Count");
        Assert.Contains("a", set);
        Assert.DoesNotContain("b", set);
        Assert.Equal(["a"], set);

        Assert.False(set.Remove("b"));
        Assert.True(set.Remove("a"));
        Assert.True(set.Count == 0, "Count");
        Assert.Empty(set);
    }

    [Fact]
    public void Members_compare_ordinally()
    {
        var set = new CompactStringSet();
        set.Add("Room");

        Assert.DoesNotContain("room", set);
        Assert.True(set.Add("room"));
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void A_second_member_keeps_the_first_and_every_operation_still_holds()
    {
        var set = new CompactStringSet();
        set.Add("a");

        Assert.True(set.Add("b"));
        Assert.False(set.Add("a"));
        Assert.True(set.Add("c"));
        Assert.Equal(3, set.Count);
        Assert.Equal(["a", "b", "c"], set.Order(StringComparer.Ordinal));

        Assert.True(set.Remove("a"));
        Assert.False(set.Remove("a"));
        Assert.True(set.Remove("b"));
        Assert.Equal(["c"], set);
        Assert.Contains("c", set);
        Assert.True(set.Remove("c"));
        Assert.Empty(set);
        Assert.True(set.Add("a"));
        Assert.Equal(["a"], set);
    }

    [Fact]
    public void The_lone_member_slot_is_reused_after_a_removal()
    {
        var set = new CompactStringSet();
        set.Add("a");
        set.Remove("a");

        Assert.True(set.Add("b"));
        Assert.Equal(["b"], set);
        Assert.DoesNotContain("a", set);
    }
}
