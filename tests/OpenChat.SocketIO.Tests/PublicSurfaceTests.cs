using System.Reflection;
using System.Runtime.Loader;

namespace OpenChat.SocketIO.Tests;

/// <summary>The library's public names read once and sit where ASP.NET Core users look.</summary>
public sealed class PublicSurfaceTests
{
    private static readonly Type[] Exported = typeof(SocketIOServer).Assembly.GetExportedTypes();

    [Fact]
    public void Public_types_live_in_the_flat_namespaces_and_the_registration_extensions_where_aspnetcore_puts_its_own()
    {
        string[] allowed =
        [
            "OpenChat.SocketIO",
            "OpenChat.SocketIO.EngineIO",
            "OpenChat.SocketIO.Adapters",
            "OpenChat.SocketIO.Protocol",
            "Microsoft.Extensions.DependencyInjection",
            "Microsoft.AspNetCore.Builder",
            "Microsoft.AspNetCore.Hosting",
        ];

        Assert.All(Exported, t => Assert.Contains(t.Namespace, allowed));
        Assert.Equal("Microsoft.Extensions.DependencyInjection", typeof(SocketIOServiceCollectionExtensions).Namespace);
        Assert.Equal("Microsoft.AspNetCore.Builder", typeof(SocketIOEndpointRouteBuilderExtensions).Namespace);
        Assert.DoesNotContain(Exported, t => t.Namespace == "OpenChat.SocketIO" && t.Name.StartsWith("Internal", StringComparison.Ordinal));
    }

    [Fact]
    public void No_public_type_shares_its_name_with_a_public_type_of_aspnetcore_or_the_extensions()
    {
        var framework = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly.Location)!;
        var theirs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(framework, "Microsoft.*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && !name.StartsWith("Microsoft.Extensions", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                foreach (var type in AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(name)).GetExportedTypes())
                {
                    theirs.Add(type.Name);
                }
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or ReflectionTypeLoadException)
            {
                // Reference-only or native pieces of the shared framework have no types to compare.
            }
        }

        Assert.True(theirs.Count > 1000, $"only {theirs.Count} framework types found in {framework}");
        Assert.Contains("CorsOptions", theirs);   // the name the library's CORS options once had
        var ours = Exported.Where(t => !t.Name.EndsWith("Extensions", StringComparison.Ordinal)).Select(t => t.Name);
        var clashes = ours.Where(theirs.Contains).ToArray();
        Assert.True(clashes.Length == 0, "names ASP.NET Core already uses: " + string.Join(", ", clashes));
    }
}
