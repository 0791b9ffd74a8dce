namespace OpenChat.Tests.Infrastructure;

/// <summary>Finds folders of the repository from the test binaries, wherever the clone is.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

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

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenChat.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OpenChat.sln not found above " + AppContext.BaseDirectory);
    }
}
