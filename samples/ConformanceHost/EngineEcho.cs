using OpenChat.SocketIO.EngineIO;

namespace ConformanceHost;

/// <summary>Sends every message back unchanged, text as text and binary as binary.</summary>
public sealed class EngineEcho : IEngineIOHandler
{
    public void OnOpen(EngineSession session)
    {
    }

    public ValueTask OnMessageAsync(EngineSession session, EnginePacket message)
    {
        if (message.IsBinary)
        {
            session.Send(message.Data);
        }
        else
        {
            session.Send(System.Text.Encoding.UTF8.GetString(message.Data.Span));
        }

        return ValueTask.CompletedTask;
    }

    public void OnClose(EngineSession session, string reason)
    {
    }
}
