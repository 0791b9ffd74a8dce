using System.Text;

namespace OpenChat.Accounts.Images;

/// <summary>
/// Decides what an uploaded file really is, from its bytes alone: the file name and the declared content
/// type are never consulted. A file is an avatar only when it is, from its first byte to its last, a
/// well-formed PNG, JPEG or WebP (signature, header with the pixel size, and the structure of the whole
/// file, so a PNG header followed by markup, or markup after an image's end, is refused); SVG, HTML and
/// everything else are refused with a reason that says what the file looks like instead.
/// </summary>
public static class ImageInspector
{
    /// <summary>The image's format and size, or null with <paramref name="reason"/>.</summary>
    public static ImageInfo? Inspect(ReadOnlySpan<byte> data, out string reason)
    {
        if (PngReader.HasSignature(data))
        {
            return PngReader.Read(data, out reason);
        }

        if (JpegReader.HasSignature(data))
        {
            return JpegReader.Read(data, out reason);
        }

        if (WebPReader.HasSignature(data))
        {
            return WebPReader.Read(data, out reason);
        }

        reason = $"Avatars must be PNG, JPEG or WebP images; this file is {Describe(data)}.";
        return null;
    }

    /// <summary>What a file that is not one of the three formats looks like, for the refusal.</summary>
    private static string Describe(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return "empty";
        }

        if (data.StartsWith("GIF8"u8))
        {
            return "a GIF image";
        }

        if (data.StartsWith("BM"u8))
        {
            return "a BMP image";
        }

        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8))
        {
            return "an HEIC/AVIF image or a video";
        }

        var head = Encoding.UTF8.GetString(data[..Math.Min(data.Length, 1024)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
        if (head.StartsWith('<'))
        {
            return head.Contains("<svg", StringComparison.Ordinal) ? "an SVG drawing"
                : head.Contains("<html", StringComparison.Ordinal) || head.StartsWith("<!doctype html", StringComparison.Ordinal) ? "an HTML page"
                : "markup (XML or HTML)";
        }

        return "not one of them";
    }
}
