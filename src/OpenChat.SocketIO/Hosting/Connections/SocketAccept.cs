using System.Net.Sockets;

namespace OpenChat.SocketIO.Hosting;

/// <summary>
/// Accepts on a listening socket and reports failures as a <see cref="SocketError"/> instead of an exception.
/// At the open-file limit every accept fails at once; .NET's task-based accept then throws a
/// <c>SocketException</c> whose stack trace capture tries to load an assembly, which cannot be opened
/// either: that failed load leaks native memory each time. Failing without an exception avoids that.
/// </summary>
internal sealed class SocketAccept : SocketAsyncEventArgs
{
    private TaskCompletionSource? _pending;

    public SocketAccept()
        : base(unsafeSuppressExecutionContextFlow: true)
    {
    }

    /// <summary>The accepted socket, or null and the reason.</summary>
    public async ValueTask<(Socket? Socket, SocketError Error)> AcceptAsync(Socket listener)
    {
        AcceptSocket = null;
        var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending = pending;
        try
        {
            if (listener.AcceptAsync(this))
            {
                await pending.Task;
            }
        }
        catch (ObjectDisposedException)
        {
            return (null, SocketError.OperationAborted);
        }

        var accepted = AcceptSocket;
        AcceptSocket = null;
        return SocketError == SocketError.Success && accepted is not null ? (accepted, SocketError.Success) : (null, SocketError);
    }

    protected override void OnCompleted(SocketAsyncEventArgs e) => _pending?.TrySetResult();
}
