using Microsoft.Extensions.Hosting;

namespace OpenChat.SocketIO.Hosting;

/// <summary>
/// Closes every connection when the host stops. It acts in <see cref="StoppingAsync"/>, which runs before
/// any hosted service (Kestrel included) stops: clients get their close packet while the server still
/// answers, and Kestrel then finds no long-running request left to wait for.
/// </summary>
internal sealed class SocketIOShutdownService(SocketIOServer server) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => server.CloseAsync().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
