namespace OpenChat.Chat;

/// <summary>
/// A token bucket per connection for renames: a few at once, then <see cref="ChatOptions.RenamesPerMinute"/>.
/// Every rename reaches every client (a list or a delta, and a system line), so a client renaming in a loop
/// would otherwise cost everyone.
/// </summary>
public sealed class RenameRateLimiter(ChatOptions options, TimeProvider time)
{
    private readonly MessageRateLimiter _bucket = new(options.RenamesPerMinute / 60.0, options.RenameBurst, time);

    public bool TryTake() => _bucket.TryTake();
}
