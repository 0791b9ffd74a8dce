using System.Globalization;
using OpenChat.SocketIO;
using OpenChat.Storage;

namespace OpenChat.Chat;

/// <summary>
/// Sends a stored message to its channel's room as <c>chat</c>; a #general message also goes to original
/// clients as <c>message</c> ("name: text"). Each form is encoded once for all its recipients.
/// </summary>
public sealed class MessageDelivery(SocketIOServer io, ChannelDirectory channels)
{
    public void Deliver(long id, ChannelRecord channel, ChatUser sender, NewChatMessage message)
    {
        var chat = new ChatMessage(id.ToString(CultureInfo.InvariantCulture), channel.Name, message.Username, message.Text, message.SentAt, sender.Id, sender.Avatar);
        io.To(ChannelRooms.For(channel)).Emit(ChatEvents.Chat, chat);
        if (channel.Id == channels.General.Id)
        {
            io.To(ChatEvents.ClassicRoom).Emit(ChatEvents.Message, $"{message.Username}: {message.Text}");
        }
    }
}
