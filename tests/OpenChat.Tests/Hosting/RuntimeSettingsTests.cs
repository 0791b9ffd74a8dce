using System.Text.Json;

namespace OpenChat.Tests.Hosting;

/// <summary>
/// The runtime settings the app ships with (src/Shared/HostRuntime.props) land in its runtimeconfig.json, the
/// file the runtime reads at start; docs/benchmarks.md says why each is there.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static JsonElement ConfigProperties()
    {
        // The app's runtimeconfig.json is copied beside the tests with the app itself, as publish writes it.
        var path = Path.Combine(AppContext.BaseDirectory, "OpenChat.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    [Theory]
    [InlineData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "0")]
    [InlineData("System.Runtime.TieredCompilation.CallCountingDelayMs", "0")]
    [InlineData("System.GC.Server", "true")]
    public void The_app_ships_the_measured_runtime_settings(string name, string expected)
    {
        Assert.True(ConfigProperties().TryGetProperty(name, out var value), $"{name} is missing from OpenChat.runtimeconfig.json");
        Assert.Equal(expected, value.GetRawText());
    }
}
