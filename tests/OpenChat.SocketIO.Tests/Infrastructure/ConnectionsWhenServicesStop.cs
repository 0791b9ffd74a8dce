using Microsoft.Extensions.Hosting;

namespace OpenChat.SocketIO.Tests.Infrastructure;

/// <summary>
/// Records the open connections when the hosted services (Kestrel among them) are told to stop, which the host
/// does only after every service's StoppingAsync: zero means the clients were closed before Kestrel stopped,
/// instead of being cut off by its shutdown timeout. Register it with <see cref="Register"/>.
/// </summary>
public sealed class ConnectionsWhenServicesStop : IHostedService
{
    private SocketIOServer? _io;

    public int? Count { get; private set; }

    public void Register(IServiceCollection services) => services.AddHostedService(sp =>
    {
        _io = sp.GetRequiredService<SocketIOServer>();
        return this;
    });

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Count = _io?.ConnectionCount;
        return Task.CompletedTask;
    }
}
