namespace OpenChat.Storage;

/// <summary>
/// The writer when <see cref="StorageOptions.Enabled"/> is false: the in-memory store answers at once, so the
/// message is completed on the sender's own handler, with no queue and no background loop.
/// </summary>
internal sealed class ImmediateMessageWriter(MemoryChatStore store) : IMessageWriter
{
    public ValueTask<WriteOutcome> WriteAsync(NewChatMessage message) => ValueTask.FromResult(new WriteOutcome(store.Append(message), null));
}
