using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace OpenChat.SocketIO.Hosting;

/// <summary>
/// Kestrel's socket listener, with two differences that keep the process alive at its open-file limit.
/// Kestrel's own treats every failed accept as a connection reset in the backlog and retries at once: at
/// the limit (EMFILE) the backlog never empties, so it spins a core, and each failure's exception leaks
/// native memory until the process dies. This one (1) closes a connection as soon as it is accepted when
/// the ceiling is reached, so descriptors stay free for open clients and the runtime, and (2) when accept
/// fails for want of descriptors or memory anyway (something else used them), waits with a growing pause
/// before trying again, and fails without an exception.
/// </summary>
internal sealed class CeilingConnectionListener : IConnectionListener
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly SocketConnectionContextFactory _factory;
    private readonly ConnectionGauge _gauge;
    private readonly TimeProvider _time;
    private readonly bool _noDelay;
    private readonly SocketAccept _accept = new();
    private readonly CancellationTokenSource _unbound = new();

    public CeilingConnectionListener(Socket socket, SocketConnectionContextFactory factory, ConnectionGauge gauge, TimeProvider time, bool noDelay)
    {
        _socket = socket;
        _factory = factory;
        _gauge = gauge;
        _time = time;
        _noDelay = noDelay;
        EndPoint = socket.LocalEndPoint!;
    }

    public EndPoint EndPoint { get; }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var pause = FirstPause;
        while (true)
        {
            var (accepted, error) = await _accept.AcceptAsync(_socket);
            if (accepted is not null)
            {
                pause = FirstPause;
                if (!_gauge.TryEnter())
                {
                    // Over the ceiling: the client sees its connection closed at once rather than a timeout.
                    accepted.Dispose();
                    continue;
                }

                try
                {
                    if (accepted.LocalEndPoint is IPEndPoint)
                    {
                        accepted.NoDelay = _noDelay;
                    }

                    return new CountedConnection(_factory.Create(accepted), _gauge);
                }
                catch
                {
                    _gauge.Exit();
                    accepted.Dispose();
                    throw;
                }
            }

            switch (error)
            {
                case SocketError.OperationAborted or SocketError.Shutdown or SocketError.NotSocket or SocketError.InvalidArgument:
                    // Unbound or disposed: Kestrel stops accepting on this endpoint.
                    return null;
                case SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable:
                    // EMFILE/ENFILE/ENOBUFS/ENOMEM: the connection stays in the backlog; retrying at once
                    // would only spin. Wait until descriptors may have come free.
                    _gauge.OnExhausted(error.ToString());
                    if (!await PauseAsync(pause, cancellationToken))
                    {
                        return null;
                    }

                    pause = pause * 2 > LongestPause ? LongestPause : pause * 2;
                    break;
                default:
                    // The connection was reset while it waited in the backlog: take the next one.
                    break;
            }
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _unbound.Cancel();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _unbound.Cancel();
        _socket.Dispose();
        _accept.Dispose();
        _factory.Dispose();
        _unbound.Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask<bool> PauseAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
            await Task.Delay(pause, _time, linked.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
