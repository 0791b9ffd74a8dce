namespace OpenChat.Accounts;

/// <summary>
/// An avatar as stored and served: the bytes as uploaded, the content type their format really is (from the
/// bytes, never the file name), the pixel size read from their header, and a version (a digest of the bytes)
/// that is part of the avatar's URL, so a new upload is a new URL and caches need no invalidating.
/// </summary>
public sealed record AvatarImage(string ContentType, int Width, int Height, byte[] Bytes, string Version);
