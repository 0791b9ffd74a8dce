using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO;

/// <summary>Puts a Socket.IO connection on top of each Engine.IO session.</summary>
internal sealed class SocketIOEngineHandler(SocketIOServer server) : IEngineIOHandler
{
    public void OnOpen(EngineSession session)
    {
        var connection = new SocketIOConnection(server, session);
        session.State = connection;
        connection.JoinMainNamespaceForLegacyClient();
    }

    public ValueTask OnMessageAsync(EngineSession session, EnginePacket message) =>
        ((SocketIOConnection)session.State!).OnMessageAsync(message);

    public void OnUpgraded(EngineSession session)
    {
        if (server.Observer is { } observer && session.State is SocketIOConnection connection)
        {
            foreach (var socket in connection.Snapshot())
            {
                observer.OnUpgraded(socket);
            }
        }
    }

    public void OnClose(EngineSession session, string reason) => (session.State as SocketIOConnection)?.OnClose(reason);
}
