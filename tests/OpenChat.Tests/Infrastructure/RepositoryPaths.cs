namespace OpenChat.Tests.Infrastructure;

/// <summary>Finds folders of the repository from the test binaries, wherever the clone is.</summary>
public static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Path;

    /// <summary>The npm folder with the official Node client (tests/node).</summary>
    public static string NodeClients => Path.Combine(Root, "tests", "node");

    /// <summary>Where tests leave artifacts such as screenshots (TestResults/artifacts under the repository).</summary>
    public static string Artifacts
    {
        get
        {
            var path = Path.Combine(Root, "TestResults", "artifacts");
            Directory.CreateDirectory(path);
            return path;
        }
    }
}
