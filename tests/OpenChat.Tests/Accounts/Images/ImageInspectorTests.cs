using System.Text;
using OpenChat.Accounts.Images;

namespace OpenChat.Tests.Accounts.Images;

/// <summary>
/// What a file is comes from its bytes: well-formed PNG, JPEG and WebP give their format and pixel size;
/// markup, other formats, and images with markup inside, after them, or in place of their body are refused
/// with a reason.
/// </summary>
public sealed class ImageInspectorTests
{
    private const string Html = "<!doctype html><html><body><script>alert(document.cookie)</script></body></html>";
    private const string Svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>";

    public static TheoryData<string, byte[], ImageFormat, int, int> Valid => new()
    {
        { "png", TestImages.Png(3, 2), ImageFormat.Png, 3, 2 },
        { "png with text chunks", TestImages.Png(5, 7, ("tEXt", Encoding.ASCII.GetBytes("Comment\0hello"))), ImageFormat.Png, 5, 7 },
        { "jpeg", TestImages.Jpeg(640, 480), ImageFormat.Jpeg, 640, 480 },
        { "jpeg with another after it (multi-picture)", [.. TestImages.Jpeg(640, 480), .. TestImages.Jpeg(160, 120)], ImageFormat.Jpeg, 640, 480 },
        { "lossless webp", TestImages.WebPLossless(300, 200), ImageFormat.WebP, 300, 200 },
        { "extended webp", TestImages.WebPExtended(1024, 768), ImageFormat.WebP, 1024, 768 },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_well_formed_image_gives_its_format_and_size(string what, byte[] file, ImageFormat format, int width, int height)
    {
        var info = ImageInspector.Inspect(file, out var reason);

        Assert.True(info is not null, $"{what}: {reason}");
        Assert.Equal((format, width, height), (info.Format, info.Width, info.Height));
    }

    public static TheoryData<string, byte[], string> Refused
    {
        get
        {
            var png = TestImages.Png(3, 2);
            var jpeg = TestImages.Jpeg(64, 64);
            var webp = TestImages.WebPLossless(8, 8);
            var brokenCrc = (byte[])png.Clone();
            brokenCrc[20] ^= 0xFF;
            return new()
            {
                { "an html page", Encoding.UTF8.GetBytes(Html), "this file is an HTML page" },
                { "an svg drawing", Encoding.UTF8.GetBytes(Svg), "this file is an SVG drawing" },
                { "an svg with a byte order mark and spaces", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("  \n<svg/>")], "this file is an SVG drawing" },
                { "a gif", [.. "GIF89a"u8.ToArray(), 1, 0, 1, 0, 0, 0, 0, 0x3B], "this file is a GIF image" },
                { "empty", [], "this file is empty" },
                { "plain text", "hello"u8.ToArray(), "this file is not one of them" },
                { "a png signature followed by markup", [.. png[..8], .. Encoding.UTF8.GetBytes(Html)], "not a valid one" },
                { "a png header followed by markup", [.. png[..33], .. Encoding.UTF8.GetBytes(Svg)], "not a valid one" },
                { "a png with markup after its end", [.. png, .. Encoding.UTF8.GetBytes(Html)], "something follows its end" },
                { "a png with a wrong checksum", brokenCrc, "checksum is wrong" },
                { "a png cut short", png[..^12], "ends before its IEND" },
                { "a png without image data", Without(png, "IDAT"), "no image data" },
                { "a jpeg with markup after its end", [.. jpeg, .. Encoding.UTF8.GetBytes(Html)], "something follows its end" },
                { "a jpeg signature followed by markup", [0xFF, 0xD8, 0xFF, .. Encoding.UTF8.GetBytes(Html)], "not a valid one" },
                { "a jpeg cut short", jpeg[..^2], "not a valid one" },
                { "a webp with markup after its end", [.. webp, .. Encoding.UTF8.GetBytes(Html)], "something follows its end" },
                { "a webp whose riff size hides markup", TestImages.Riff(("VP8L", [0x2F, 7, 0xC0, 1, 0, 0]), ("HTML", Encoding.UTF8.GetBytes(Html))), "one image chunk only" },
                { "a webp without an image", TestImages.Riff(("VP8X", new byte[10])), "no image data" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Anything_else_is_refused_with_a_reason(string what, byte[] file, string because)
    {
        var info = ImageInspector.Inspect(file, out var reason);

        Assert.True(info is null, $"{what} was taken for a {info?.Format} image");
        Assert.Contains(because, reason);
    }

    private static byte[] Without(byte[] png, string chunk)
    {
        var at = Encoding.ASCII.GetString(png).IndexOf(chunk, StringComparison.Ordinal) - 4;
        var length = (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
        return [.. png[..at], .. png[(at + 12 + length)..]];
    }
}
