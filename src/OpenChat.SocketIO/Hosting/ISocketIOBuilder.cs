namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddSocketIO</c>, so features such as an adapter can be added to the server (<c>AddSocketIO().AddRedisAdapter(...)</c>).</summary>
public interface ISocketIOBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}

internal sealed class SocketIOBuilder(IServiceCollection services) : ISocketIOBuilder
{
    public IServiceCollection Services { get; } = services;
}
