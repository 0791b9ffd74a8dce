using Microsoft.Extensions.Options;
using OpenChat.SocketIO;
using OpenChat.Storage;

namespace OpenChat.Chat;

/// <summary>
/// <c>channels</c>, <c>create_channel</c>, <c>join_channel</c>, <c>leave_channel</c>, for rich clients. A
/// rich client is in #general from the start and cannot leave it; original clients are only ever there.
/// Membership is the socket's rooms, so it travels with the socket (and with a recovered session).
/// </summary>
public sealed partial class ChannelHandlers(ChannelDirectory channels, ChannelNameRules names, Refusals refusals, IOptions<ChatOptions> options, ILogger<ChannelHandlers> logger)
{
    public void Attach(SocketIOSocket socket, bool isRich)
    {
        if (isRich)
        {
            socket.Join(ChannelRooms.For(channels.General));
        }

        socket.On(ChatEvents.Channels, context => Guard(context, isRich, OnListAsync));
        socket.On(ChatEvents.CreateChannel, context => Guard(context, isRich, OnCreateAsync));
        socket.On(ChatEvents.JoinChannel, context => Guard(context, isRich, OnJoinAsync));
        socket.On(ChatEvents.LeaveChannel, context => Guard(context, isRich, OnLeaveAsync));
    }

    private async ValueTask Guard(EventContext context, bool isRich, Func<EventContext, Task> handler)
    {
        if (!isRich)
        {
            refusals.Refuse(context, ClientProtocol.RichOnly);
            return;
        }

        try
        {
            await handler(context);
        }
        catch (ChatStoreException e)
        {
            LogStoreFailed(logger, context.EventName, e);
            refusals.Refuse(context, "The channels cannot be read or changed right now; try again in a moment.");
        }
    }

    private async Task OnListAsync(EventContext context)
    {
        var rooms = context.Socket.Rooms;
        var all = await channels.ListAsync(CancellationToken.None);
        var entries = all.Select(c => new ChannelListEntry(c.Name, c.CreatedAt, ChannelRooms.IsMember(rooms, c))).ToArray();
        context.Ack(new ChannelReply(true, Channels: entries));
    }

    private async Task OnCreateAsync(EventContext context)
    {
        var raw = RequestArguments.StringOrProperty(context.Arguments, "name");
        if (raw is null)
        {
            refusals.Refuse(context, "Name the new channel: a string, or {name: \"#name\"}.");
            return;
        }

        var name = names.Normalize(raw, out var reason);
        if (name is null)
        {
            refusals.Refuse(context, reason);
            return;
        }

        var creation = await channels.CreateAsync(name, CancellationToken.None);
        switch (creation)
        {
            case { Status: ChannelCreationStatus.Created, Channel: { } created }:
                context.Socket.Join(ChannelRooms.For(created));
                context.Ack(new ChannelReply(true, Channel: ChannelInfo.From(created)));
                break;
            case { Status: ChannelCreationStatus.AlreadyExists, Channel: { } existing }:
                refusals.Refuse(context, $"{existing.Name} already exists; join it instead.");
                break;
            default:
                refusals.Refuse(context, $"There are already {options.Value.MaxChannels} channels, the most this chat allows.");
                break;
        }
    }

    private async Task OnJoinAsync(EventContext context)
    {
        if (await FindAsync(context) is not { } channel)
        {
            return;
        }

        context.Socket.Join(ChannelRooms.For(channel));
        context.Ack(new ChannelReply(true, Channel: ChannelInfo.From(channel)));
    }

    private async Task OnLeaveAsync(EventContext context)
    {
        if (await FindAsync(context) is not { } channel)
        {
            return;
        }

        if (channel.Id == channels.General.Id)
        {
            refusals.Refuse(context, $"Everyone stays in {channel.Name}.");
            return;
        }

        context.Socket.Leave(ChannelRooms.For(channel));
        context.Ack(new ChannelReply(true, Channel: ChannelInfo.From(channel)));
    }

    /// <summary>The channel the request names (<c>"#name"</c> or <c>{channel: "#name"}</c>), or null after refusing it.</summary>
    private async Task<ChannelRecord?> FindAsync(EventContext context)
    {
        var raw = RequestArguments.StringOrProperty(context.Arguments, "channel");
        if (raw is null)
        {
            refusals.Refuse(context, "Name the channel: a string, or {channel: \"#name\"}.");
            return null;
        }

        var channel = names.Normalize(raw, out _) is { } name ? await channels.FindAsync(name, CancellationToken.None) : null;
        if (channel is null)
        {
            refusals.Refuse(context, "There is no such channel.");
        }

        return channel;
    }

    [LoggerMessage(1, LogLevel.Error, "The store failed while handling {Event}", EventName = "ChannelStoreFailed")]
    private static partial void LogStoreFailed(ILogger logger, string @event, Exception error);
}
