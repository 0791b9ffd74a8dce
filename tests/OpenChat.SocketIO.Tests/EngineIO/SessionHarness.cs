using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>
/// One <see cref="EngineSession"/> on virtual time, with transports that record what the session asks of
/// them and a handler that records what the session tells it. Nothing here talks to a client: it exercises
/// the session's own decisions.
/// </summary>
internal sealed class SessionHarness
{
    /// <param name="configure">Changes the options.</param>
    /// <param name="clock">Another clock than <see cref="Time"/> (e.g. one whose timers run late).</param>
    /// <param name="query">The handshake's query string, e.g. <c>?EIO=3</c> for a v3 session.</param>
    public SessionHarness(Action<EngineIOOptions>? configure = null, TimeProvider? clock = null, string query = "?EIO=4")
    {
        configure?.Invoke(Options);
        clock ??= Time;
        var handshake = new DefaultHttpContext();
        handshake.Request.QueryString = new QueryString(query);
        Session = new EngineSession("sid", HandshakeRequest.TryCapture(handshake, clock.GetUtcNow(), int.MaxValue)!, Options, Handler, clock, NullLogger.Instance, Registry);
    }

    public EngineIOOptions Options { get; } = new()
    {
        PingInterval = TimeSpan.FromSeconds(25),
        PingTimeout = TimeSpan.FromSeconds(20),
        UpgradeTimeout = TimeSpan.FromSeconds(10),
        CloseTimeout = TimeSpan.FromSeconds(5),
    };

    public FakeTimeProvider Time { get; } = new();

    public RecordingHandler Handler { get; } = new();

    public EngineSession Session { get; }

    public RecordingRegistry Registry { get; } = new();

    /// <summary>How often the session left the store (must end at exactly one).</summary>
    public int ReleasedCount => Registry.Released;

    public RecordingTransport OpenOnPolling()
    {
        var polling = new RecordingTransport("polling");
        Session.Open(polling, canUpgrade: true);
        return polling;
    }

    /// <summary>Every frame queued so far, as text ("0{...}", "2", "1", "4hello").</summary>
    public List<string> TakeQueued()
    {
        var frames = new List<string>();
        while (Session.Queue.TryDequeue(out var frame))
        {
            frames.Add(frame.IsBinary ? "<binary>" : System.Text.Encoding.UTF8.GetString(frame.Bytes.Span));
        }

        return frames;
    }

    public ValueTask ReceiveAsync(string text) =>
        Session.OnPacketAsync(new EnginePacket((EnginePacketType)(text[0] - '0'), System.Text.Encoding.UTF8.GetBytes(text[1..]), IsBinary: false));

    internal sealed class RecordingTransport(string name) : IEngineTransport
    {
        public string Name => name;

        public int Releases { get; private set; }

        public int Aborts { get; private set; }

        public void Release() => Releases++;

        public void Abort() => Aborts++;
    }

    internal sealed class RecordingRegistry : ISessionRegistry
    {
        public int Held { get; private set; }

        public int Released { get; private set; }

        public void OnHeldAfterClose(EngineSession session) => Held++;

        public void OnReleased(EngineSession session) => Released++;
    }

    internal sealed class RecordingHandler : IEngineIOHandler
    {
        public int Opened { get; private set; }

        public List<string> Messages { get; } = new();

        public List<string> Closes { get; } = new();

        public void OnOpen(EngineSession session) => Opened++;

        public ValueTask OnMessageAsync(EngineSession session, EnginePacket message)
        {
            Messages.Add(System.Text.Encoding.UTF8.GetString(message.Data.Span));
            return ValueTask.CompletedTask;
        }

        public void OnClose(EngineSession session, string reason) => Closes.Add(reason);
    }
}
