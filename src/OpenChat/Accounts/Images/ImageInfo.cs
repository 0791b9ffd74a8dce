namespace OpenChat.Accounts.Images;

/// <summary>What the bytes of an image are, as read from them: the format and the pixel size.</summary>
public sealed record ImageInfo(ImageFormat Format, int Width, int Height)
{
    /// <summary>The content type the image is served with.</summary>
    public string ContentType => Format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Jpeg => "image/jpeg",
        _ => "image/webp",
    };
}
