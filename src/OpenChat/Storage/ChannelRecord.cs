namespace OpenChat.Storage;

/// <summary>A stored channel: its store id, its name as created (e.g. <c>#general</c>) and when (Unix ms).</summary>
public sealed record ChannelRecord(long Id, string Name, long CreatedAt)
{
    /// <summary>The name compared case- and width-insensitively: two channels cannot share a key.</summary>
    public string Key => ChannelKey.Of(Name);
}
