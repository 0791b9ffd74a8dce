using System.Buffers.Binary;

namespace OpenChat.Accounts.Images;

/// <summary>
/// Reads a WebP's RIFF structure (RFC 9649): the RIFF size equal to the file's, chunks that fill it exactly
/// (each padded to an even size), and the pixel size from the first chunk: a lossy <c>VP8 </c> key frame, a
/// lossless <c>VP8L</c> header, or the extended <c>VP8X</c> canvas followed by an image (or animation frames).
/// </summary>
internal static class WebPReader
{
    public static bool HasSignature(ReadOnlySpan<byte> data) => data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8);

    public static ImageInfo? Read(ReadOnlySpan<byte> data, out string reason)
    {
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if ((long)riffSize + 8 != data.Length)
        {
            return Refuse(out reason, riffSize + 8L > data.Length ? "it ends too early" : "something follows its end");
        }

        var offset = 12;
        var index = 0;
        int width = 0, height = 0;
        var extended = false;
        var image = false;
        while (offset < data.Length)
        {
            if (data.Length - offset < 8)
            {
                return Refuse(out reason, "a chunk header is cut short");
            }

            var type = data.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..]);
            var padded = size + (size & 1);
            if (padded > (uint)(data.Length - offset - 8))
            {
                return Refuse(out reason, "a chunk runs past the end of the file");
            }

            var body = data.Slice(offset + 8, (int)size);
            offset += 8 + (int)padded;
            if (index++ == 0)
            {
                if (type.SequenceEqual("VP8X"u8) && body.Length >= 10)
                {
                    extended = true;
                    width = ReadUInt24(body[4..]) + 1;
                    height = ReadUInt24(body[7..]) + 1;
                    continue;
                }

                if (!ReadSimple(type, body, out width, out height))
                {
                    return Refuse(out reason, "its image header is invalid");
                }

                image = true;
                continue;
            }

            if (!extended)
            {
                return Refuse(out reason, "a simple WebP holds one image chunk only");
            }

            if (type.SequenceEqual("VP8 "u8) || type.SequenceEqual("VP8L"u8))
            {
                if (!ReadSimple(type, body, out _, out _))
                {
                    return Refuse(out reason, "its image header is invalid");
                }

                image = true;
            }
            else if (type.SequenceEqual("ANMF"u8))
            {
                image = true;
            }
        }

        if (!image)
        {
            return Refuse(out reason, "it has no image data");
        }

        reason = string.Empty;
        return new ImageInfo(ImageFormat.WebP, width, height);
    }

    private static bool ReadSimple(ReadOnlySpan<byte> type, ReadOnlySpan<byte> body, out int width, out int height)
    {
        width = height = 0;
        if (type.SequenceEqual("VP8 "u8))
        {
            // A key frame (bit 0 clear), the start code 9D 01 2A, then 14-bit width and height.
            if (body.Length < 10 || (body[0] & 1) != 0 || body[3] != 0x9D || body[4] != 0x01 || body[5] != 0x2A)
            {
                return false;
            }

            width = BinaryPrimitives.ReadUInt16LittleEndian(body[6..]) & 0x3FFF;
            height = BinaryPrimitives.ReadUInt16LittleEndian(body[8..]) & 0x3FFF;
            return width > 0 && height > 0;
        }

        if (type.SequenceEqual("VP8L"u8))
        {
            // The signature 0x2F, then width-1 and height-1 in 14 bits each and a version of 0.
            if (body.Length < 5 || body[0] != 0x2F)
            {
                return false;
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(body[1..]);
            width = (int)(bits & 0x3FFF) + 1;
            height = (int)((bits >> 14) & 0x3FFF) + 1;
            return bits >> 29 == 0;
        }

        return false;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> data) => data[0] | (data[1] << 8) | (data[2] << 16);

    private static ImageInfo? Refuse(out string reason, string why)
    {
        reason = $"This file starts like a WebP image but is not a valid one: {why}.";
        return null;
    }
}
