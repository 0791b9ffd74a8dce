namespace OpenChat.Storage;

/// <summary>
/// Takes chat messages to the store. Every accepted message is completed exactly once, with its id once it
/// is stored or with the reason it could not be; completions come in submission order, one at a time, so
/// whoever delivers messages in them delivers in id order.
/// </summary>
public interface IMessageWriter
{
    /// <summary>
    /// Queues the message; <paramref name="completed"/> runs later (or at once). False, with the reason for the
    /// sender, when it cannot even be queued (the queue is full or the app is stopping); then nothing runs.
    /// </summary>
    bool TrySubmit(NewChatMessage message, Action<WriteOutcome> completed, out string? refusal);
}
