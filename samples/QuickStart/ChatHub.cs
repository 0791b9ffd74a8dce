using OpenChat.SocketIO;

/// <summary>
/// The "/chat" namespace as a handler class: a new instance per event, services by constructor, each public
/// method handling the event of its camelCase name, its return value answering the client's callback.
/// </summary>
internal sealed class ChatHub(MessageLog log) : SocketIOHub
{
    public override ValueTask OnConnectedAsync()
    {
        Socket.Join("everyone");
        return ValueTask.CompletedTask;
    }

    // socket.emitWithAck("sendMessage", "hello", 2) -> { number: 1, text: "hello", priority: 2 }
    public StoredMessage SendMessage(string text, int priority = 0)
    {
        var stored = log.Add(text, priority);
        Namespace.To("everyone").Except(Socket.Id).Emit("message", stored);
        return stored;
    }
}

internal sealed record StoredMessage(int Number, string Text, int Priority);

/// <summary>An application service, shared by every event.</summary>
internal sealed class MessageLog
{
    private int _count;

    public StoredMessage Add(string text, int priority) => new(Interlocked.Increment(ref _count), text, priority);
}
