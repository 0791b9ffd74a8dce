using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace OpenChat.Hosting;

/// <summary>
/// Configures ASP.NET Core's forwarded-headers middleware from the <c>ForwardedHeaders</c> section:
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are applied, only from the listed proxies
/// (<c>KnownProxies</c>, addresses) and networks (<c>KnownNetworks</c>, CIDR), loopback when none are listed.
/// It runs after the framework's own setup, so <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> (which clears
/// both lists to trust every peer) cannot widen that trust: trusting every peer takes listing
/// <c>0.0.0.0/0</c> and <c>::/0</c>.
/// </summary>
internal sealed class ForwardedHeadersSetup(IConfiguration configuration) : IConfigureOptions<ForwardedHeadersOptions>
{
    public const string SectionName = "ForwardedHeaders";

    public void Configure(ForwardedHeadersOptions options)
    {
        var section = configuration.GetSection(SectionName);
        var failures = new List<string>();
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        if (section["ForwardLimit"] is { Length: > 0 } limit)
        {
            if (int.TryParse(limit, out var hops) && hops >= 1)
            {
                options.ForwardLimit = hops;
            }
            else
            {
                failures.Add($"{SectionName}:ForwardLimit \"{limit}\" must be a whole number of proxies, 1 or more.");
            }
        }

        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in Entries(section.GetSection("KnownProxies")))
        {
            if (IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                failures.Add($"{SectionName}:KnownProxies: \"{entry}\" is not an IP address (for a range, use {SectionName}:KnownNetworks, e.g. 10.0.0.0/8).");
            }
        }

        foreach (var entry in Entries(section.GetSection("KnownNetworks")))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else
            {
                failures.Add($"{SectionName}:KnownNetworks: \"{entry}\" is not a network in CIDR form, such as 10.0.0.0/8 or fd00::/8.");
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ForwardedHeadersOptions), failures);
        }

        if (options.KnownProxies.Count == 0 && options.KnownIPNetworks.Count == 0)
        {
            // ASP.NET Core's own default: a proxy on this machine.
            options.KnownIPNetworks.Add(new IPNetwork(IPAddress.Loopback, 8));
            options.KnownProxies.Add(IPAddress.IPv6Loopback);
        }
    }

    /// <summary>Whether the section lists any proxy or network (otherwise only loopback is trusted).</summary>
    public static bool ListsProxies(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        return Entries(section.GetSection("KnownProxies")).Any() || Entries(section.GetSection("KnownNetworks")).Any();
    }

    // Either an array (KnownProxies:0, KnownProxies__0) or one value separated by ';' or ',' as AllowedHosts is,
    // which is easier to write in an environment variable or a systemd unit.
    private static IEnumerable<string> Entries(IConfigurationSection section)
    {
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? string.Empty);
        return values.SelectMany(v => v.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
