namespace OpenChat.Chat;

/// <summary>Loads the channels once the store is ready (it starts before this) and before anything listens.</summary>
internal sealed class ChannelLoader(ChannelDirectory channels) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => channels.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
