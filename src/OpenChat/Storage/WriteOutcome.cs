namespace OpenChat.Storage;

/// <summary>What became of a submitted message: stored with <see cref="Id"/>, or refused for <see cref="Failure"/> (words for its sender).</summary>
public readonly record struct WriteOutcome(long Id, string? Failure)
{
    public bool Stored => Failure is null;

    public static WriteOutcome Refused(string reason) => new(0, reason);
}
