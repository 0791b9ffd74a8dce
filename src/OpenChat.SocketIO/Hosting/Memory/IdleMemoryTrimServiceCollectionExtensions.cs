using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenChat.SocketIO;
using OpenChat.SocketIO.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds idle memory trimming.</summary>
public static class IdleMemoryTrimServiceCollectionExtensions
{
    /// <summary>The configuration section the options are bound from: <c>IdleMemoryTrim</c>.</summary>
    public const string SectionName = "IdleMemoryTrim";

    /// <summary>
    /// Gives memory back to the operating system once the server is quiet after a burst (one aggressive GC
    /// when the GC holds far more than the live heap), so resident memory comes back near its level before
    /// the burst instead of staying at the peak. Options come from the <c>IdleMemoryTrim</c> section, then
    /// <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddIdleMemoryTrimming(this IServiceCollection services, Action<IdleMemoryTrimOptions>? configure = null)
    {
        var options = services.AddOptions<IdleMemoryTrimOptions>().Configure<IConfiguration>(static (o, c) => c.GetSection(SectionName).Bind(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.CheckInterval > TimeSpan.Zero && o.MinimumTrimInterval >= TimeSpan.Zero && o.QuietAllocationBytesPerSecond >= 0 && o.MinimumReclaimableBytes >= 0,
            "IdleMemoryTrim: CheckInterval must be positive, the other settings not negative.").ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IdleMemoryTrimmer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, IdleMemoryTrimmer>(sp => sp.GetRequiredService<IdleMemoryTrimmer>()));
        return services;
    }
}
