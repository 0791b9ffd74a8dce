using Xunit.Abstractions;

namespace OpenChat.SocketIO.Tests.Samples;

/// <summary>
/// The official Engine.IO and Socket.IO protocol test suites, unmodified, against samples/ConformanceHost.
/// They are skipped, saying so, on a machine without <c>../shared/conformance</c>. The suites handle one
/// message per read and give the server 200 ms heartbeats, so a loaded machine can fail a test by timing
/// alone: a failed test is run once more on its own, the test output says which, and a test that fails
/// twice fails this one.
/// </summary>
[Collection(ProtocolSuiteCollection.Name)]
public sealed class ProtocolSuiteTests(ITestOutputHelper output)
{
    [SkippableFact]
    public Task The_engine_io_suite_passes_all_24_tests_against_the_conformance_host() => PassesAsync("engine.io-protocol", 24);

    [SkippableFact]
    public Task The_socket_io_suite_passes_all_32_tests_against_the_conformance_host() => PassesAsync("socket.io-protocol", 32);

    private async Task PassesAsync(string name, int tests)
    {
        var published = ProtocolSuite.Find(name);
        Skip.If(published is null, $"The official {name} suite is not on this machine (looked in {ProtocolSuite.SuitesFolder}/{name}/test-suite); skipped.");

        using var suite = await ProtocolSuite.PrepareAsync(published!);
        await using var host = await ConformanceHostProcess.StartAsync();
        var first = await suite.RunAsync(host.Port);
        Assert.True(first.Tests == tests, $"The {name} suite has {first.Tests} tests, not {tests}: has it changed?");
        if (first.Failures.Count == 0)
        {
            return;
        }

        output.WriteLine($"First run: {first.Passes}/{first.Tests}; running again on their own:{Environment.NewLine}{string.Join(Environment.NewLine, first.Failures)}");
        var again = await suite.RunAsync(host.Port, first.Failures.Select(f => f.FullTitle).ToList());
        Assert.True(again.Failures.Count == 0, $"{again.Failures.Count} test(s) of the {name} suite failed twice:{Environment.NewLine}{string.Join(Environment.NewLine, again.Failures)}{Environment.NewLine}Conformance host output:{Environment.NewLine}{host.Output}");
    }
}
