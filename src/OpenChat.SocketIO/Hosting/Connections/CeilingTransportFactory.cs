using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenChat.SocketIO.Hosting;

/// <summary>
/// Kestrel's transport for IP endpoints, with the connection ceiling (<see cref="CeilingConnectionListener"/>).
/// Sockets are bound and configured by Kestrel's own <see cref="SocketTransportOptions"/>; other endpoint
/// kinds (Unix sockets, inherited handles) stay with Kestrel's transport.
/// </summary>
internal sealed partial class CeilingTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector, IDisposable
{
    private readonly SocketTransportOptions _transport;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly Lazy<ConnectionGauge> _gauge;

    public CeilingTransportFactory(IOptions<SocketTransportOptions> transport, IOptions<ConnectionCeilingOptions> ceiling, ILoggerFactory loggers, TimeProvider time)
    {
        _transport = transport.Value;
        _loggers = loggers;
        _time = time;
        _gauge = new Lazy<ConnectionGauge>(() => CreateGauge(ceiling.Value));
    }

    /// <summary>The process-wide count of connections against the ceiling.</summary>
    internal ConnectionGauge Gauge => _gauge.Value;

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var socket = _transport.CreateBoundListenSocket(endpoint);
        try
        {
            socket.Listen(_transport.Backlog);
            var factory = new SocketConnectionContextFactory(
                new SocketConnectionFactoryOptions
                {
                    IOQueueCount = _transport.IOQueueCount,
                    WaitForDataBeforeAllocatingBuffer = _transport.WaitForDataBeforeAllocatingBuffer,
                    MaxReadBufferSize = _transport.MaxReadBufferSize,
                    MaxWriteBufferSize = _transport.MaxWriteBufferSize,
                    UnsafePreferInlineScheduling = _transport.UnsafePreferInlineScheduling,
                },
                _loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
            return ValueTask.FromResult<IConnectionListener>(new CeilingConnectionListener(socket, factory, Gauge, _time, _transport.NoDelay));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_gauge.IsValueCreated)
        {
            _gauge.Value.Dispose();
        }
    }

    private ConnectionGauge CreateGauge(ConnectionCeilingOptions options)
    {
        var logger = _loggers.CreateLogger("OpenChat.SocketIO.Connections");
        var limit = OpenFileLimit.Current();
        var ceiling = OpenFileLimit.Ceiling(options, limit);
        if (ceiling is int max)
        {
            Log.CeilingInForce(logger, max, limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
        }
        else
        {
            Log.NoCeiling(logger);
        }

        return new ConnectionGauge(ceiling, limit, options.WarningInterval, _time, logger);
    }

    private static partial class Log
    {
        [LoggerMessage(63, LogLevel.Information, "Accepting at most {Ceiling} connections at once (open-file limit {FileLimit}; ConnectionCeiling:MaxConnections overrides).", EventName = "ConnectionCeiling")]
        public static partial void CeilingInForce(ILogger logger, int ceiling, string fileLimit);

        [LoggerMessage(64, LogLevel.Information, "No connection ceiling: the open-file limit is unknown or unlimited and ConnectionCeiling:MaxConnections is not set.", EventName = "NoConnectionCeiling")]
        public static partial void NoCeiling(ILogger logger);
    }
}
