namespace OpenChat.Testing;

/// <summary>Finds folders of the repository from the test binaries, wherever the clone is.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

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

    // From the test binaries first; builds with --artifacts-path live outside the clone, so fall back to
    // where this source file was compiled from.
    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "") =>
        FindAbove(AppContext.BaseDirectory) ?? FindAbove(Path.GetDirectoryName(sourceFile) ?? string.Empty)
        ?? throw new InvalidOperationException("OpenChat.sln not found above " + AppContext.BaseDirectory);

    private static string? FindAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenChat.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
