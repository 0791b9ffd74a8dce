using OpenChat.SocketIO;
using OpenChat.SocketIO.MessagePack;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Selects the MessagePack parser for the Socket.IO server.</summary>
public static class MessagePackSocketIOBuilderExtensions
{
    /// <summary>
    /// Makes the server speak socket.io-msgpack-parser 3.x instead of Socket.IO's JSON format; every client
    /// must then use that parser.
    /// </summary>
    public static ISocketIOBuilder AddMessagePackParser(this ISocketIOBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<SocketIOOptions>(static options => options.Parser = MessagePackParser.Instance);
        return builder;
    }
}
