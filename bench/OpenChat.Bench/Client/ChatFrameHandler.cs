namespace OpenChat.Bench.Client;

/// <summary>What a scenario does with the chat events its clients receive. Called on the client's receive loop.</summary>
public abstract class ChatFrameHandler
{
    /// <summary>A handler that only lets the clients count bytes and answer pings.</summary>
    public static ChatFrameHandler None { get; } = new IgnoringHandler();

    public virtual void OnChatMessage(IChatClient client, ReadOnlySpan<byte> frame)
    {
    }

    public virtual void OnUsernames(IChatClient client, ReadOnlySpan<byte> frame)
    {
    }

    private sealed class IgnoringHandler : ChatFrameHandler;
}
