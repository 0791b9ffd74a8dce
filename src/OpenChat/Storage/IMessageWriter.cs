namespace OpenChat.Storage;

/// <summary>
/// Takes chat messages to the store. Each message is answered exactly once: with its id once it is stored,
/// or with the reason it could not be (the queue is full, the app is stopping, the database failed).
/// </summary>
public interface IMessageWriter
{
    /// <summary>
    /// Completes when the message is stored (or refused). Messages complete in the order they were written,
    /// and a continuation may run on the writer's own thread before the next message is completed: it should
    /// only queue work (deliver the message, send the ack), never wait.
    /// </summary>
    ValueTask<WriteOutcome> WriteAsync(NewChatMessage message);
}
