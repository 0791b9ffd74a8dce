namespace OpenChat.Storage;

/// <summary>
/// Takes chat messages to the store. Each message is answered exactly once: with its id once it is stored,
/// or with the reason it could not be (the queue is full, the app is stopping, the database failed).
/// </summary>
public interface IMessageWriter
{
    /// <summary>
    /// Completes when the message is stored (or refused). Continuations run on the thread pool, never on the
    /// writer, so whoever awaits can deliver the message without holding up the next batch.
    /// </summary>
    ValueTask<WriteOutcome> WriteAsync(NewChatMessage message);
}
