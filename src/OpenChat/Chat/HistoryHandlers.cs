using System.Globalization;
using Microsoft.Extensions.Options;
using OpenChat.Accounts;
using OpenChat.SocketIO;
using OpenChat.Storage;

namespace OpenChat.Chat;

/// <summary>
/// <c>history</c>, for rich clients: <c>emit("history", {channel, before?, limit}, ack)</c> answers
/// <c>{ok: true, messages: [{id, channel, username, text, sentAt}]}</c>, oldest first, or
/// <c>{ok: false, reason}</c>. Any channel may be read, joined or not. A malformed request, a flood of
/// them, or a store failure is answered to that client only. Messages of signed-in senders carry their
/// account's current picture.
/// </summary>
public sealed partial class HistoryHandlers(
    ChannelDirectory channels,
    ChannelNameRules names,
    IChatStore store,
    IAccountStore accounts,
    Refusals refusals,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<HistoryHandlers> logger)
{
    public void Attach(SocketIOSocket socket, bool isRich)
    {
        var limiter = new MessageRateLimiter(options.Value.HistoryRequestsPerSecond, options.Value.HistoryRequestBurst, time);
        socket.On(ChatEvents.History, context => OnHistoryAsync(context, isRich, limiter));
    }

    private async ValueTask OnHistoryAsync(EventContext context, bool isRich, MessageRateLimiter limiter)
    {
        if (!isRich)
        {
            Refuse(context, ClientProtocol.RichOnly);
            return;
        }

        var reason = HistoryRequest.Shape;
        var request = context.Arguments.Count > 0 ? HistoryRequest.Parse(context.Arguments[0], options.Value, out reason) : null;
        if (request is null)
        {
            Refuse(context, reason);
            return;
        }

        if (!limiter.TryTake())
        {
            Refuse(context, "Too many history requests; wait a moment.");
            return;
        }

        try
        {
            var channel = names.Normalize(request.Channel, out _) is { } name ? await channels.FindAsync(name, CancellationToken.None) : null;
            if (channel is null)
            {
                Refuse(context, "There is no such channel.");
                return;
            }

            var page = await store.ReadAsync(channel.Id, request.Before, request.Limit, CancellationToken.None);
            var senders = page.Where(m => m.AccountId is not null).Select(m => m.AccountId!.Value).ToHashSet();
            var pictures = await accounts.AvatarVersionsAsync(senders, CancellationToken.None);
            var messages = new HistoryMessage[page.Count];
            for (var i = 0; i < page.Count; i++)
            {
                var m = page[i];
                var avatar = m.AccountId is { } account && pictures.TryGetValue(account, out var version) ? AvatarUrls.For(account, version) : null;
                messages[i] = new HistoryMessage(m.Id.ToString(CultureInfo.InvariantCulture), channel.Name, m.Username, m.Text, m.SentAt, avatar);
            }

            context.Ack(new HistoryReply(true, messages));
        }
        catch (ChatStoreException e)
        {
            LogReadFailed(logger, e);
            Refuse(context, "The history cannot be read right now; try again in a moment.");
        }
    }

    private void Refuse(EventContext context, string reason) => refusals.Refuse(context, reason, new HistoryReply(false, Reason: reason));

    [LoggerMessage(1, LogLevel.Error, "Could not read history", EventName = "HistoryReadFailed")]
    private static partial void LogReadFailed(ILogger logger, Exception error);
}
