namespace OpenChat.Accounts.Images;

/// <summary>The image formats avatars may be in.</summary>
public enum ImageFormat
{
    Png,
    Jpeg,
    WebP,
}
