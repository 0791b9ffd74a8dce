using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// HTTP long-polling for one session. A GET waits until there is something to send and then drains the
/// whole queue as one payload; a POST delivers a payload of packets. One of each may be in flight.
/// </summary>
internal sealed partial class PollingTransport(EngineSession session) : IEngineTransport
{
    private const string TextContentType = "text/plain; charset=UTF-8";
    private const string BinaryContentType = "application/octet-stream";
    private static readonly byte[] Ok = "ok"u8.ToArray();

    /// <summary>
    /// How long a poll that arrives after the upgrade probe waits before its noop, as the reference server's
    /// 100 ms upgrade check does. The official client pauses polling once probed, so such a poll is one it sent
    /// before it read <c>3probe</c>; and one that is still waiting when the upgrade packet comes, which arrived
    /// on another connection just before it, is refused as a request after the upgrade.
    /// </summary>
    internal static readonly TimeSpan ProbedPollGrace = TimeSpan.FromMilliseconds(100);

    private int _getInFlight;
    private int _postInFlight;
    private CancellationTokenSource? _release;

    public string Name => "polling";

    /// <summary>Whether a GET is waiting for data (tests use it to know the next packet answers that GET).</summary>
    internal bool HasPendingGet => Volatile.Read(ref _release) is not null;

    /// <summary>Answers a pending GET now: with what is queued, a noop, or the close of a closed session.</summary>
    public void Release()
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

    /// <summary>Polling holds no connection: stopping is answering the pending GET, which reads the session's final state.</summary>
    public void Abort() => Release();

    /// <summary>
    /// Answers a poll. False when an upgrade retired this transport while the poll waited: nothing was written,
    /// and the caller refuses it as it refuses any polling request after the upgrade.
    /// </summary>
    public async Task<bool> HandleGetAsync(HttpContext context)
    {
        if (Interlocked.Exchange(ref _getInFlight, 1) == 1)
        {
            Log.OverlappingPoll(session.Logger, session.Id);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            session.OnTransportError(this, DisconnectReasons.TransportError);
            return true;
        }

        var afterProbe = session.IsUpgradeProbed;
        using var grace = afterProbe ? new CancellationTokenSource(ProbedPollGrace, session.Time) : null;
        using var release = grace is null
            ? CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted)
            : CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, grace.Token);
        Volatile.Write(ref _release, release);
        var freed = false;

        // The poll's place is freed once its frames are taken, before its response is written: a client may
        // read the response and send its next poll on another connection before this request has ended
        // (sooner still when Kestrel sends where the write is made), and that poll is not an overlapping one.
        void Free()
        {
            if (!freed)
            {
                freed = true;
                Interlocked.CompareExchange(ref _release, null, release);
                Volatile.Write(ref _getInFlight, 0);
            }
        }

        try
        {
            // Ways this wait ends: frames are queued (a graceful close queues the close packet); the session
            // released it (an upgrade probe, a completed upgrade, a hard close); the grace of a poll sent after
            // the probe ran out; or the client went away, which for a pending poll is a transport error.
            // (A probe between the check above and the write of _release released nobody: it releases this poll.)
            if ((!afterProbe && session.IsUpgradeProbed) || session.Status == EngineSessionState.Closed || session.Polling != this)
            {
                release.Cancel();
            }

            try
            {
                await session.Queue.WaitToReadAsync(release.Token);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                session.OnTransportError(this, DisconnectReasons.TransportError);
                return true;
            }
            catch (OperationCanceledException)
            {
            }

            // Still waiting when the upgrade completed (the official client never is: it waits for its poll
            // before it sends the upgrade packet): the poll is one that came after it.
            if (session.Polling != this && session.Status != EngineSessionState.Closed)
            {
                return false;
            }

            await WritePayloadAsync(context, Free);
            return true;
        }
        finally
        {
            Free();
        }
    }

    public async Task HandlePostAsync(HttpContext context)
    {
        if (Interlocked.Exchange(ref _postInFlight, 1) == 1)
        {
            Log.OverlappingPost(session.Logger, session.Id);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            session.OnTransportError(this, DisconnectReasons.TransportError);
            return;
        }

        var freed = false;
        try
        {
            var body = await RequestBodyReader.ReadAsync(context.Request, session.Options.MaxHttpBufferSize, context.RequestAborted);
            if (body is null)
            {
                Log.PayloadTooLarge(session.Logger, session.Id, session.Options.MaxHttpBufferSize);
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                session.OnTransportError(this, DisconnectReasons.TransportError);
                return;
            }

            session.Metrics?.BytesReceived(body.Value.Length);
            var packets = new List<EnginePacket>();
            var isBinaryBody = context.Request.ContentType?.StartsWith(BinaryContentType, StringComparison.OrdinalIgnoreCase) == true;
            if (!session.Codec.TryDecodePayload(body.Value, isBinaryBody, packets))
            {
                Log.MalformedPayload(session.Logger, session.Id);
                await EngineErrorResponse.WriteAsync(context, EngineErrorCode.BadRequest);
                session.OnTransportError(this, DisconnectReasons.ParseError);
                return;
            }

            session.Metrics?.PacketsReceived(packets.Count);
            foreach (var packet in packets)
            {
                if (session.IsClosed)
                {
                    break;
                }

                await session.OnPacketAsync(packet);
            }

            context.Response.ContentType = "text/html";
            context.Response.ContentLength = Ok.Length;

            // Handled: the client may send its next request as soon as it reads the answer (see HandleGetAsync).
            freed = true;
            Volatile.Write(ref _postInFlight, 0);
            await context.Response.Body.WriteAsync(Ok, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            session.OnTransportClosed(this);
        }
        finally
        {
            if (!freed)
            {
                Volatile.Write(ref _postInFlight, 0);
            }
        }
    }

    private async Task WritePayloadAsync(HttpContext context, Action free)
    {
        var frames = TakeFrames();
        free();
        var payload = new ArrayBufferWriter<byte>(256);
        var binary = session.Codec.EncodePayload(CollectionsMarshal.AsSpan(frames), binaryAccepted: !session.Base64Binary, payload);
        var compression = session.Options.HttpCompression;
        var (body, encoding) = PayloadCompression.Apply(context.Request, payload.WrittenMemory, compression);
        var response = context.Response;
        response.ContentType = binary ? BinaryContentType : TextContentType;
        response.ContentLength = body.Length;
        if (compression.Enabled)
        {
            response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        }

        if (encoding is not null)
        {
            response.Headers.ContentEncoding = encoding;
        }

        try
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
            session.Metrics?.PacketsSent(frames.Count);
            session.Metrics?.BytesSent(body.Length);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            session.OnTransportError(this, DisconnectReasons.TransportError);
        }
    }

    /// <summary>The frames of the next payload.</summary>
    private List<EngineFrame> TakeFrames()
    {
        // A closed session answers its last poll as the reference server does: a noop when the client
        // itself closed (it sent the close packet), else the close packet. Then its id is released.
        if (session.Status == EngineSessionState.Closed)
        {
            session.OnDrained(this);
            return [session.ClosedByClient ? EngineFrame.Noop : EngineFrame.Close];
        }

        // Retired by an upgrade: what is queued belongs to the WebSocket now.
        if (session.Polling != this)
        {
            return [EngineFrame.Noop];
        }

        // The close packet travels in a payload of its own, as the reference server sends it: the official
        // client handles the packets before it only after the current payload, and would otherwise see the
        // close first (a DISCONNECT would then read as a lost connection).
        // A frame the client must read before the next ones ends the payload too.
        var frames = new List<EngineFrame>();
        var queue = session.Queue;
        while (queue.TryPeek(out var next) && !(next.IsClose && frames.Count > 0) && queue.TryDequeue(out var frame))
        {
            frames.Add(frame);
            if (frame.ReadBeforeNext)
            {
                break;
            }
        }

        if (frames.Count == 0)
        {
            frames.Add(EngineFrame.Noop);
        }

        if (queue.IsDrained)
        {
            // This payload carries the last packets of a closing session: the sid is released before the
            // client can ask again.
            session.OnDrained(this);
        }

        return frames;
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
