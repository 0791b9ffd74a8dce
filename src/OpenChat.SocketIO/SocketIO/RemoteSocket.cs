using System.Text.Json;
using OpenChat.SocketIO.Adapters;

namespace OpenChat.SocketIO;

/// <summary>
/// A socket found by <c>FetchSocketsAsync</c>, on this server or another: what it was when fetched (id,
/// handshake, rooms, data) and what can be done to it wherever it is. Its operations go through the adapter
/// to the server that holds it, as Node's <c>RemoteSocket</c> does.
/// </summary>
public sealed class RemoteSocket
{
    private readonly SocketIONamespace _namespace;

    internal RemoteSocket(SocketIONamespace ns, RemoteSocketData data)
    {
        _namespace = ns;
        Id = data.Id;
        Handshake = new RemoteHandshake(data.Handshake);
        Rooms = new HashSet<string>(data.Rooms, StringComparer.Ordinal);
        Data = data.Data;
    }

    /// <summary>The socket id.</summary>
    public string Id { get; }

    /// <summary>How the socket connected.</summary>
    public RemoteHandshake Handshake { get; }

    /// <summary>The rooms it was in when fetched, its own id room included.</summary>
    public IReadOnlySet<string> Rooms { get; }

    /// <summary>Its <see cref="SocketIOSocket.Data"/> (Node's <c>socket.data</c>) as JSON when fetched.</summary>
    public JsonElement Data { get; }

    /// <summary>Reads one entry of <see cref="Data"/>, or default when it is missing or has another shape.</summary>
    public T? GetData<T>(string key)
    {
        if (Data.ValueKind != JsonValueKind.Object || !Data.TryGetProperty(key, out var value))
        {
            return default;
        }

        try
        {
            return value.Deserialize<T>(_namespace.Server.JsonOptions);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>Sends the socket an event.</summary>
    public void Emit(string eventName, params object?[] args) => Operator.Emit(eventName, args);

    /// <summary>Sends the socket an event and waits for its acknowledgement (its first argument).</summary>
    public async Task<EventArguments> EmitWithAckAsync(string eventName, TimeSpan timeout, params object?[] args)
    {
        var answers = await Operator.Timeout(timeout).EmitWithAckAsync(eventName, args);
        return answers.Count > 0 ? answers[0] : throw new SocketDisconnectedException(DisconnectReasons.TransportClose);
    }

    /// <summary>Makes the socket join rooms.</summary>
    public void Join(params string[] rooms) => Operator.SocketsJoin(rooms);

    /// <summary>Makes the socket leave rooms.</summary>
    public void Leave(params string[] rooms) => Operator.SocketsLeave(rooms);

    /// <summary>Disconnects the socket from its namespace; with <paramref name="close"/>, its whole connection.</summary>
    public void Disconnect(bool close = false) => Operator.DisconnectSockets(close);

    private BroadcastOperator Operator => _namespace.NewOperator().To(Id);
}
