using System.Text.Json;

namespace OpenChat.SocketIO.MessagePack.Tests.Infrastructure;

/// <summary>Runs a script of tests/node/scenarios to its end and returns its JSON lines, failing with its output if it does not exit 0 in time.</summary>
internal static class Witness
{
    public static async Task<IReadOnlyList<JsonElement>> RunAsync(string script, object options, TimeSpan? timeout = null)
    {
        await using var node = NodeProcess.Start(script, options);
        try
        {
            await node.WaitForExitAsync(timeout ?? TaskTimeouts.Default);
            await node.StdoutPump.WaitAsync(TaskTimeouts.Default);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"{node.Description} did not finish:{Environment.NewLine}{Output(node)}");
        }

        Assert.True(node.ExitCode == 0, $"{node.Description} exited with {node.ExitCode}:{Environment.NewLine}{Output(node)}");
        return node.Lines;
    }

    public static JsonElement Single(IReadOnlyList<JsonElement> lines, string name)
    {
        var matches = lines.Where(l => NodeProcess.Is(l, name)).ToList();
        Assert.True(matches.Count == 1, $"expected one \"{name}\" line, got {matches.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, lines.Select(l => l.GetRawText()))}");
        return matches[0];
    }

    private static string Output(NodeProcess node) => string.Join(Environment.NewLine, node.Lines.Select(l => l.GetRawText())) + Environment.NewLine + node.Stderr;
}
