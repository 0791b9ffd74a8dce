using System.Text;

namespace OpenChat.Pages;

/// <summary>
/// A page template held in memory with the Content-Security-Policy derived from it (see
/// <see cref="TemplateSecurityPolicy"/>), so the bytes served are the bytes the hashes were computed from.
/// It is read when first served and again whenever the file changes on disk, so a template dropped into
/// <c>templates/</c> while the app runs is served with its own policy at the next request.
/// </summary>
public sealed class TemplatePage(string path)
{
    private readonly Lock _sync = new();
    private Loaded? _loaded;

    public string Path { get; } = path;

    /// <summary>The template's bytes and policy, read again if the file changed since.</summary>
    public (byte[] Content, string Policy) Current()
    {
        var written = File.GetLastWriteTimeUtc(Path);
        var length = new FileInfo(Path).Length;
        lock (_sync)
        {
            if (_loaded is not { } loaded || loaded.Written != written || loaded.Content.Length != length)
            {
                var content = File.ReadAllBytes(Path);
                loaded = new Loaded(content, TemplateSecurityPolicy.For(Encoding.UTF8.GetString(content)), written);
                _loaded = loaded;
            }

            return (loaded.Content, loaded.Policy);
        }
    }

    private sealed record Loaded(byte[] Content, string Policy, DateTime Written);
}
