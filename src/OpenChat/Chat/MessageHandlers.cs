using Microsoft.Extensions.Options;
using OpenChat.SocketIO;
using OpenChat.Storage;

namespace OpenChat.Chat;

/// <summary>
/// <c>my_mssg</c>: a string goes to #general (the original contract); a rich client may send
/// <c>{channel, text}</c> to a channel it has joined. An accepted message is stored first and delivered
/// once stored; the sender's ack (<c>{ok: true, id}</c>) then means it is in the history. The handler
/// returns once the message is queued for storing, so a sender's next messages join the same batches. Each sender's
/// messages arrive in the order sent; messages of different senders at the same moment may arrive in
/// slightly different orders to different clients, as before, while their ids (and the history) give the
/// one order. When a message cannot be stored the sender alone is told why, and nobody else sees it.
/// </summary>
public sealed partial class MessageHandlers(
    UserDirectory users,
    InputRules rules,
    ChannelDirectory channels,
    IMessageWriter writer,
    MessageDelivery delivery,
    Refusals refusals,
    AddressRateLimiter addresses,
    SocketIOServer io,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<MessageHandlers> logger)
{
    public void Attach(SocketIOSocket socket, bool isRich)
    {
        var limiter = new MessageRateLimiter(options.Value, time);
        socket.On(ChatEvents.SendMessage, context => OnMessageAsync(context, isRich, limiter));
    }

    private async ValueTask OnMessageAsync(EventContext context, bool isRich, MessageRateLimiter limiter)
    {
        if (io.IsStopping)
        {
            // Acknowledging now would promise a delivery the closing connections may not make. Messages
            // already being stored when stopping began are waited for, delivered and acknowledged.
            refusals.Refuse(context, "The server is restarting; send your message again once it is back.");
            return;
        }

        string? channelName = null;
        string? text;
        if (context.Arguments.TryGet<string>(0, out var plain) && plain is not null)
        {
            text = plain;
        }
        else if (isRich && context.Arguments.Count > 0 && RequestArguments.Property(context.Arguments[0], "text") is { } inChannel
            && RequestArguments.Property(context.Arguments[0], "channel") is { } named)
        {
            text = inChannel;
            channelName = named;
        }
        else
        {
            refusals.Refuse(context, isRich ? "A message must be a string, or {channel, text} with strings." : "A message must be a string.");
            return;
        }

        var problem = rules.CheckMessage(text);
        if (problem is not null)
        {
            refusals.Refuse(context, problem);
            return;
        }

        if (!limiter.TryTake())
        {
            refusals.Refuse(context, "You are sending messages too fast; wait a moment.");
            return;
        }

        if (!addresses.TryTake(context.Socket.Handshake.Request.RemoteAddress))
        {
            refusals.Refuse(context, "Too many messages from your network right now; wait a moment.");
            return;
        }

        if (!users.TryGet(context.Socket.Id, out var sender))
        {
            refusals.Refuse(context, "You are not in the chat.");
            return;
        }

        var channel = channelName is null ? channels.General : channels.FindKnown(channelName) ?? await FindAsync(channelName);
        if (channel is null)
        {
            refusals.Refuse(context, "There is no such channel.");
            return;
        }

        if (channelName is not null && !ChannelRooms.IsMember(context.Socket.Rooms, channel))
        {
            refusals.Refuse(context, $"Join {channel.Name} before writing in it.");
            return;
        }

        var message = new NewChatMessage(channel.Id, sender.Name, text, time.GetUtcNow().ToUnixTimeMilliseconds(), sender.AccountId);

        // The connection's next packets need not wait for the commit: the writer completes messages in the
        // order they were queued, on its own thread, so each sender's messages are still delivered in order,
        // and nobody sees one, nor its sender the ack, before it is in the history. A sender thus keeps
        // several messages in the batch being written, as it would without storage.
        var write = writer.WriteAsync(message);
        if (write.IsCompleted)
        {
            Complete(write.Result, context, channel, sender, message);
            return;
        }

        _ = CompleteWhenStoredAsync(write, context, channel, sender, message);
    }

    private async Task CompleteWhenStoredAsync(ValueTask<WriteOutcome> write, EventContext context, ChannelRecord channel, ChatUser sender, NewChatMessage message)
    {
        try
        {
            Complete(await write, context, channel, sender, message);
        }
        catch (Exception e)
        {
            // The writer completes every message with an outcome; this is a fault in delivering it.
            Log.DeliveryFailed(logger, context.Socket.Id, e);
        }
    }

    private void Complete(WriteOutcome outcome, EventContext context, ChannelRecord channel, ChatUser sender, NewChatMessage message)
    {
        if (!outcome.Stored)
        {
            refusals.Refuse(context, outcome.Failure!);
            return;
        }

        delivery.Deliver(outcome.Id, channel, sender, message);
        context.Ack(new ChatReply(true, Id: outcome.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "A stored message of socket {Socket} could not be delivered", EventName = "DeliveryFailed")]
        public static partial void DeliveryFailed(ILogger logger, string socket, Exception error);
    }

    // A channel this instance has not seen cannot be one the sender joined here; asking the store only
    // turns the refusal into the right one.
    private async ValueTask<ChannelRecord?> FindAsync(string name)
    {
        try
        {
            return await channels.FindAsync(name, CancellationToken.None);
        }
        catch (ChatStoreException)
        {
            return null;
        }
    }
}
