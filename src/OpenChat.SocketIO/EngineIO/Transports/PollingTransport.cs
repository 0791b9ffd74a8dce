using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// HTTP long-polling for one session. A GET waits until there is something to send and then drains the
/// whole queue as one payload; a POST delivers a payload of packets. One of each may be in flight.
/// </summary>
internal sealed partial class PollingTransport
{
    private const string TextContentType = "text/plain; charset=UTF-8";
    private static readonly byte[] Ok = "ok"u8.ToArray();

    private readonly EngineSession _session;
    private int _getInFlight;
    private int _postInFlight;
    private CancellationTokenSource? _release;

    public PollingTransport(EngineSession session) => _session = session;

    /// <summary>Answers a pending GET now (with a noop if nothing is queued): used by upgrades and closes.</summary>
    public void ReleasePendingPoll()
    {
        try
        {
            Volatile.Read(ref _release)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The poll finished between the read and the cancel.
        }
    }

    public async Task HandleGetAsync(HttpContext context)
    {
        if (Interlocked.Exchange(ref _getInFlight, 1) == 1)
        {
            Log.OverlappingPoll(_session.Logger, _session.Id);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            _session.Close(DisconnectReasons.TransportError, graceful: false);
            return;
        }

        using var release = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        Volatile.Write(ref _release, release);
        try
        {
            // Ways this wait ends: frames are queued; the queue completed (session closed); an upgrade or a
            // close released it; or the client went away, which for a pending poll is a transport error.
            if (_session.UpgradeProbed || _session.IsClosed)
            {
                release.Cancel();
            }

            try
            {
                await _session.Queue.WaitToReadAsync(release.Token);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                _session.Close(DisconnectReasons.TransportError, graceful: false);
                return;
            }
            catch (OperationCanceledException)
            {
            }

            await WritePayloadAsync(context);
        }
        finally
        {
            Volatile.Write(ref _release, null);
            Volatile.Write(ref _getInFlight, 0);
        }
    }

    public async Task HandlePostAsync(HttpContext context)
    {
        if (Interlocked.Exchange(ref _postInFlight, 1) == 1)
        {
            Log.OverlappingPost(_session.Logger, _session.Id);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            _session.Close(DisconnectReasons.TransportError, graceful: false);
            return;
        }

        try
        {
            var body = await RequestBodyReader.ReadAsync(context.Request, _session.Options.MaxHttpBufferSize, context.RequestAborted);
            if (body is null)
            {
                Log.PayloadTooLarge(_session.Logger, _session.Id, _session.Options.MaxHttpBufferSize);
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                _session.Close(DisconnectReasons.TransportError, graceful: false);
                return;
            }

            var packets = new List<EnginePacket>();
            if (!EngineV4Codec.TryDecodePayload(body.Value, packets))
            {
                Log.MalformedPayload(_session.Logger, _session.Id);
                await EngineErrorResponse.WriteAsync(context, EngineErrorCode.BadRequest);
                _session.Close(DisconnectReasons.ParseError, graceful: false);
                return;
            }

            foreach (var packet in packets)
            {
                if (_session.IsClosed)
                {
                    break;
                }

                await _session.OnPacketAsync(packet);
            }

            context.Response.ContentType = "text/html";
            context.Response.ContentLength = Ok.Length;
            await context.Response.Body.WriteAsync(Ok, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            _session.Close(DisconnectReasons.TransportClose, graceful: false);
        }
        finally
        {
            Volatile.Write(ref _postInFlight, 0);
        }
    }

    private async Task WritePayloadAsync(HttpContext context)
    {
        // The close packet travels in a payload of its own, as the reference server sends it: the official
        // client handles the packets before it only after the current payload, and would otherwise see the
        // close first (a DISCONNECT would then read as a lost connection).
        var frames = new List<EngineFrame>();
        while (_session.Queue.TryPeek(out var next) && !(next.IsClose && frames.Count > 0) && _session.Queue.TryDequeue(out var frame))
        {
            frames.Add(frame);
        }

        if (frames.Count == 0)
        {
            frames.Add(_session.IsClosed ? EngineFrame.Close : EngineFrame.Noop);
        }

        if (_session.IsClosed && _session.Queue.IsDrained)
        {
            // This payload carries the last packets: the sid is released before the client can ask again.
            _session.OnDrained();
        }

        var payload = new ArrayBufferWriter<byte>(256);
        EngineV4Codec.EncodePayload(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(frames), payload);
        context.Response.ContentType = TextContentType;
        context.Response.ContentLength = payload.WrittenCount;
        try
        {
            await context.Response.Body.WriteAsync(payload.WrittenMemory, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            _session.Close(DisconnectReasons.TransportError, graceful: false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Debug, "Session {Sid} sent an overlapping poll; closing it.", EventName = "OverlappingPoll")]
        public static partial void OverlappingPoll(ILogger logger, string sid);

        [LoggerMessage(21, LogLevel.Debug, "Session {Sid} sent an overlapping data request; closing it.", EventName = "OverlappingPost")]
        public static partial void OverlappingPost(ILogger logger, string sid);

        [LoggerMessage(22, LogLevel.Information, "Session {Sid} sent a request body over {Limit} bytes; closing it.", EventName = "PayloadTooLarge")]
        public static partial void PayloadTooLarge(ILogger logger, string sid, long limit);

        [LoggerMessage(23, LogLevel.Debug, "Session {Sid} sent a malformed payload; closing it.", EventName = "MalformedPayload")]
        public static partial void MalformedPayload(ILogger logger, string sid);
    }
}
