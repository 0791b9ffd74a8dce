using System.Buffers.Binary;
using System.IO.Hashing;

namespace OpenChat.Accounts.Images;

/// <summary>
/// Reads a PNG's structure (ISO/IEC 15948): the signature, an IHDR chunk first with a valid size, bit depth
/// and colour type, every chunk's length and CRC, at least one IDAT (after a PLTE for palette images), no
/// unknown critical chunk, and IEND as the very last bytes.
/// </summary>
internal static class PngReader
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool HasSignature(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    public static ImageInfo? Read(ReadOnlySpan<byte> data, out string reason)
    {
        var offset = Signature.Length;
        int width = 0, height = 0;
        var colourType = -1;
        bool palette = false, imageData = false, first = true;
        while (true)
        {
            if (data.Length - offset < 12)
            {
                return Refuse(out reason, "it ends before its IEND chunk");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
            var type = data.Slice(offset + 4, 4);
            if (length > int.MaxValue || data.Length - offset - 12 < length)
            {
                return Refuse(out reason, "a chunk runs past the end of the file");
            }

            if (!IsChunkType(type))
            {
                return Refuse(out reason, "it holds something that is not a PNG chunk");
            }

            var body = data.Slice(offset + 8, (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(data[(offset + 8 + (int)length)..]);
            if (Crc32.HashToUInt32(data.Slice(offset + 4, 4 + (int)length)) != crc)
            {
                return Refuse(out reason, "a chunk's checksum is wrong");
            }

            offset += 12 + (int)length;
            if (first)
            {
                if (!type.SequenceEqual("IHDR"u8) || length != 13)
                {
                    return Refuse(out reason, "it does not start with an IHDR chunk");
                }

                width = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(body), int.MaxValue);
                height = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(body[4..]), int.MaxValue);
                colourType = body[9];
                if (width == 0 || height == 0 || !ValidDepth(body[8], colourType) || body[10] != 0 || body[11] != 0 || body[12] > 1)
                {
                    return Refuse(out reason, "its IHDR header is invalid");
                }

                first = false;
                continue;
            }

            if (type.SequenceEqual("IEND"u8))
            {
                if (!imageData)
                {
                    return Refuse(out reason, "it has no image data");
                }

                if (offset != data.Length)
                {
                    return Refuse(out reason, "something follows its end");
                }

                reason = string.Empty;
                return new ImageInfo(ImageFormat.Png, width, height);
            }

            if (type.SequenceEqual("PLTE"u8))
            {
                palette = true;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                if (colourType == 3 && !palette)
                {
                    return Refuse(out reason, "its palette is missing");
                }

                imageData = true;
            }
            else if (type.SequenceEqual("IHDR"u8) || char.IsAsciiLetterUpper((char)type[0]))
            {
                // A critical chunk no decoder knows: browsers would refuse the image.
                return Refuse(out reason, "it holds an unknown critical chunk");
            }
        }
    }

    private static bool IsChunkType(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ValidDepth(int depth, int colourType) => colourType switch
    {
        0 => depth is 1 or 2 or 4 or 8 or 16,
        3 => depth is 1 or 2 or 4 or 8,
        2 or 4 or 6 => depth is 8 or 16,
        _ => false,
    };

    private static ImageInfo? Refuse(out string reason, string why)
    {
        reason = $"This file starts like a PNG image but is not a valid one: {why}.";
        return null;
    }
}
