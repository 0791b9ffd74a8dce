using Microsoft.Extensions.Hosting;
using OpenChat.SocketIO.SocketIO;

namespace OpenChat.SocketIO.Hosting;

/// <summary>
/// Closes every connection when the host stops. Registered after the web server, so it stops first:
/// clients get their close packet while Kestrel still serves, and pending polls return at once.
/// </summary>
internal sealed class SocketIOShutdownService(SocketIOServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => server.CloseAsync().WaitAsync(cancellationToken);
}
