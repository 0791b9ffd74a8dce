using System.Text.Json;
using OpenChat.Chat;

namespace OpenChat.Tests.Infrastructure;

/// <summary>
/// Two rich official clients (Ana and Ben, on WebSocket) who chat while a test floods the server: each round,
/// each sends one message with an ack and waits until the other received it.
/// </summary>
public sealed class Witnesses : IAsyncDisposable
{
    private readonly NodeChatClients _clients;
    private int _round;

    private Witnesses(NodeChatClients clients) => _clients = clients;

    public NodeChatClients Clients => _clients;

    public static async Task<Witnesses> ConnectAsync(Uri server)
    {
        var clients = NodeChatClients.Start(server);
        try
        {
            await clients.ConnectAsync("ana", new { protocol = 2, name = "Ana" }, ["websocket"]);
            await clients.ConnectAsync("ben", new { protocol = 2, name = "Ben" }, ["websocket"]);
            return new Witnesses(clients);
        }
        catch
        {
            await clients.DisposeAsync();
            throw;
        }
    }

    /// <summary>One round: Ana and Ben each send a message that is acknowledged and reaches the other. Returns the texts sent.</summary>
    public async Task<string[]> ChatAsync(string tag)
    {
        var round = Interlocked.Increment(ref _round);
        var texts = new[] { $"{tag} #{round} from Ana", $"{tag} #{round} from Ben" };
        await SendAndSeeAsync("ana", "ben", texts[0]);
        await SendAndSeeAsync("ben", "ana", texts[1]);
        return texts;
    }

    /// <summary>Every chat text <paramref name="client"/> received, in order.</summary>
    public IReadOnlyList<string?> ChatTexts(string client) =>
        _clients.Received(client, ChatEvents.Chat).Select(c => c.TryGetProperty("text", out var t) ? t.GetString() : null).ToList();

    public ValueTask DisposeAsync() => _clients.DisposeAsync();

    private async Task SendAndSeeAsync(string from, string to, string text)
    {
        var ack = await _clients.EmitWithAckAsync(from, ChatEvents.SendMessage, text);
        if (!(ack.ValueKind == JsonValueKind.Object && ack.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True))
        {
            throw new InvalidOperationException($"{from}'s message \"{text}\" was refused: {ack}");
        }

        await _clients.WaitForReceivedAsync(to, ChatEvents.Chat, c => c.TryGetProperty("text", out var t) && t.GetString() == text, $"\"{text}\"");
    }
}
