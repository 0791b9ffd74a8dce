using System.Globalization;

namespace OpenChat.Accounts;

/// <summary>
/// Where an avatar is served: <c>/avatars/{account}/{version}</c>. The version is a digest of the image, so
/// a new upload is a new URL: browsers may cache one forever, and the presence update that carries the new
/// URL is what makes everyone fetch the new face.
/// </summary>
public static class AvatarUrls
{
    public const string Prefix = "/avatars/";

    public static string? For(long accountId, string? version) =>
        version is null ? null : Prefix + accountId.ToString(CultureInfo.InvariantCulture) + "/" + version;
}
