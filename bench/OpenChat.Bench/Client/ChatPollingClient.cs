using System.Net.Http.Headers;
using System.Text.Json;
using OpenChat.Bench.Protocol;

namespace OpenChat.Bench.Client;

/// <summary>
/// A Socket.IO v5 client over Engine.IO v4 HTTP long-polling: one GET always pending, POSTs serialised
/// (servers refuse overlapping POSTs), pings answered with a POSTed pong.
/// </summary>
public sealed class ChatPollingClient : IChatClient, IAsyncDisposable
{
    private static readonly MediaTypeHeaderValue TextPlain = new("text/plain") { CharSet = "UTF-8" };

    private readonly HttpClient _http;
    private readonly Uri _server;
    private readonly ChatFrameHandler _handler;
    private readonly SemaphoreSlim _postLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Uri? _sessionUri;
    private Task _pollLoop = Task.CompletedTask;
    private long _bytesReceived;
    private volatile bool _closed;

    public ChatPollingClient(int index, HttpClient http, Uri server, ChatFrameHandler handler)
    {
        Index = index;
        _http = http;
        _server = server;
        _handler = handler;
    }

    public int Index { get; }

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public bool IsAlive => !_closed && !_pollLoop.IsCompleted;

    /// <summary>Handshakes, starts polling, completes the Socket.IO CONNECT.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var open = await _http.GetByteArrayAsync(EngineIoFrames.PollingUri(_server, null), cancellationToken);
        var packets = Split(open);
        if (packets.Count == 0 || ChatFrameParser.Classify(packets[0].Span) != IncomingFrameKind.Open)
        {
            throw new IOException("The polling handshake did not start with an open packet.");
        }

        using var document = JsonDocument.Parse(packets[0][1..]);
        var sid = document.RootElement.GetProperty("sid").GetString() ?? throw new IOException("The open packet has no sid.");
        _sessionUri = EngineIoFrames.PollingUri(_server, sid);
        _pollLoop = Task.Run(PollLoopAsync, CancellationToken.None);
        await SendAsync(EngineIoFrames.Connect, cancellationToken);
        await _connected.Task.WaitAsync(cancellationToken);
    }

    /// <summary>POSTs one packet.</summary>
    public async Task SendAsync(byte[] packet, CancellationToken cancellationToken)
    {
        await _postLock.WaitAsync(cancellationToken);
        try
        {
            using var content = new ByteArrayContent(packet);
            content.Headers.ContentType = TextPlain;
            using var response = await _http.PostAsync(_sessionUri, content, cancellationToken);
            response.EnsureSuccessStatusCode();
        }
        finally
        {
            _postLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closed && _sessionUri is not null)
        {
            // Tell the server we are leaving so it does not wait for a ping timeout.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await SendAsync("1"u8.ToArray(), timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
            }
        }

        await _lifetime.CancelAsync();
        try
        {
            await _pollLoop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }

        _postLock.Dispose();
        _lifetime.Dispose();
    }

    private async Task PollLoopAsync()
    {
        try
        {
            while (!_lifetime.IsCancellationRequested && !_closed)
            {
                var payload = await _http.GetByteArrayAsync(_sessionUri, _lifetime.Token);
                Interlocked.Add(ref _bytesReceived, payload.Length);
                foreach (var packet in Split(payload))
                {
                    await HandlePacketAsync(packet);
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            _closed = true;
            _connected.TrySetException(new IOException("The session ended before the Socket.IO CONNECT completed."));
        }
    }

    private async Task HandlePacketAsync(ReadOnlyMemory<byte> packet)
    {
        switch (ChatFrameParser.Classify(packet.Span))
        {
            case IncomingFrameKind.Ping:
                await SendAsync(EngineIoFrames.Pong, _lifetime.Token);
                break;
            case IncomingFrameKind.Connected:
                _connected.TrySetResult();
                break;
            case IncomingFrameKind.ConnectError:
            case IncomingFrameKind.Close:
                _closed = true;
                break;
            case IncomingFrameKind.ChatMessage:
                _handler.OnChatMessage(this, packet.Span);
                break;
            case IncomingFrameKind.Usernames:
                _handler.OnUsernames(this, packet.Span);
                break;
        }
    }

    private static List<ReadOnlyMemory<byte>> Split(byte[] payload)
    {
        var packets = new List<ReadOnlyMemory<byte>>();
        ReadOnlyMemory<byte> rest = payload;
        while (!rest.IsEmpty)
        {
            var separator = rest.Span.IndexOf(EngineIoFrames.RecordSeparator);
            packets.Add(separator < 0 ? rest : rest[..separator]);
            rest = separator < 0 ? ReadOnlyMemory<byte>.Empty : rest[(separator + 1)..];
        }

        return packets;
    }
}
