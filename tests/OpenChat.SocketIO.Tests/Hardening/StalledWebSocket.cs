using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// A WebSocket client with a tiny receive buffer that, after the upgrade, never reads again: a client whose
/// application stopped consuming. Whatever the server sends piles up in the kernel and then in the server's
/// own queue. It can still send (masked) text frames.
/// </summary>
public sealed class StalledWebSocket : IDisposable
{
    private readonly WireWebSocket _socket;

    private StalledWebSocket(WireWebSocket socket) => _socket = socket;

    public static async Task<StalledWebSocket> ConnectAsync(Uri baseUri, string pathAndQuery) =>
        new(await WireWebSocket.ConnectAsync(baseUri, pathAndQuery, receiveBufferSize: 4096));

    public Task SendTextAsync(string text) => _socket.SendTextAsync(text);

    public void Dispose() => _socket.Dispose();
}
