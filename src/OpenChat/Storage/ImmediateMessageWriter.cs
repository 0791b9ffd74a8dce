namespace OpenChat.Storage;

/// <summary>
/// The writer when <see cref="StorageOptions.Enabled"/> is false: the in-memory store answers at once, so the
/// message is completed on the sender's own handler, with no queue and no background loop.
/// </summary>
internal sealed class ImmediateMessageWriter(MemoryChatStore store) : IMessageWriter
{
    public bool TrySubmit(NewChatMessage message, Action<WriteOutcome> completed, out string? refusal)
    {
        refusal = null;
        completed(new WriteOutcome(store.Append(message), null));
        return true;
    }
}
