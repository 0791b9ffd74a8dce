using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>Starts a <see cref="TestHost"/> whose server logs go, down to Debug, into a <see cref="LogCapture"/>.</summary>
public static class HardeningHost
{
    public static Task<TestHost> StartAsync(
        LogCapture logs,
        Action<SocketIOOptions>? configure = null,
        Action<SocketIOServer>? handlers = null,
        Action<WebApplication>? mapMore = null) =>
        TestHost.StartAsync(configure, handlers, mapMore, services => services.AddLogging(builder =>
        {
            builder.AddProvider(logs);
            builder.SetMinimumLevel(LogLevel.Debug);
        }));
}
