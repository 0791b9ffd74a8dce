using System.Runtime.CompilerServices;

namespace OpenChat.Testing;

/// <summary>The folder of the clone (where OpenChat.sln is), found from the test binaries or, when they live outside the clone (--artifacts-path), from this source file.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
        FindAbove(AppContext.BaseDirectory) ?? FindAbove(SourceDirectory())
        ?? throw new InvalidOperationException($"OpenChat.sln not found above {AppContext.BaseDirectory} nor above {SourceDirectory()}."));

    public static string Path => Root.Value;

    private static string? FindAbove(string? start)
    {
        for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "OpenChat.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string? SourceDirectory([CallerFilePath] string path = "") => System.IO.Path.GetDirectoryName(path);
}
