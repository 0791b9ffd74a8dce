using System.Net.WebSockets;

namespace OpenChat.Tests.Infrastructure;

/// <summary>Engine.IO sessions opened over WebSocket (the open packet received) that then stay silent, held until disposed.</summary>
public sealed class WebSocketFlood : IAsyncDisposable
{
    private readonly List<ClientWebSocket> _open = new();

    private WebSocketFlood()
    {
    }

    public int Opened => _open.Count;

    /// <summary>Handshakes that did not give an open session (connection closed, refused, or no open packet).</summary>
    public int Failed { get; private set; }

    /// <summary>Tries <paramref name="count"/> sessions, <paramref name="parallel"/> at a time.</summary>
    public static async Task<WebSocketFlood> OpenAsync(Uri server, int count, int parallel = 32, IReadOnlyDictionary<string, string>? headers = null)
    {
        var flood = new WebSocketFlood();
        var url = new Uri(server.ToString().Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/socket.io/?EIO=4&transport=websocket");
        for (var tried = 0; tried < count; tried += parallel)
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, Math.Min(parallel, count - tried)).Select(_ => TryOpenAsync(url, headers))).WithTimeout(TimeSpan.FromSeconds(60));
            foreach (var socket in batch)
            {
                if (socket is null)
                {
                    flood.Failed++;
                }
                else
                {
                    flood._open.Add(socket);
                }
            }
        }

        return flood;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var socket in _open)
        {
            socket.Abort();
            socket.Dispose();
        }

        _open.Clear();
        return ValueTask.CompletedTask;
    }

    private static async Task<ClientWebSocket?> TryOpenAsync(Uri url, IReadOnlyDictionary<string, string>? headers)
    {
        var socket = new ClientWebSocket();
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(url, timeout.Token);
            var buffer = new byte[512];
            var first = await socket.ReceiveAsync(buffer, timeout.Token);
            if (first.MessageType == WebSocketMessageType.Text && first.Count > 0 && buffer[0] == (byte)'0')
            {
                return socket;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or System.Net.Http.HttpRequestException)
        {
        }

        socket.Dispose();
        return null;
    }
}
