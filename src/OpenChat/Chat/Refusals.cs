using OpenChat.SocketIO;

namespace OpenChat.Chat;

/// <summary>
/// Turning a request down, to its sender only: in the acknowledgement when the client asked for one,
/// otherwise as a <c>refused</c> event. Logged at Debug: a refusal is the client's doing, not a fault.
/// </summary>
public sealed partial class Refusals(ILogger<Refusals> logger)
{
    public void Refuse(EventContext context, string reason) => Refuse(context, reason, new ChatReply(false, reason));

    /// <summary>Refuses with a particular acknowledgement shape (e.g. a <see cref="HistoryReply"/>).</summary>
    public void Refuse(EventContext context, string reason, object ack)
    {
        LogRefused(logger, context.Socket.Id, context.EventName, reason);
        if (context.HasAck)
        {
            context.Ack(ack);
        }
        else
        {
            context.Socket.Emit(ChatEvents.Refused, new Refusal(context.EventName, reason));
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Refused {Event} from {SocketId}: {Reason}", EventName = "Refused")]
    private static partial void LogRefused(ILogger logger, string socketId, string @event, string reason);
}
