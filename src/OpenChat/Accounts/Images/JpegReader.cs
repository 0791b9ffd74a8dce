using System.Buffers.Binary;

namespace OpenChat.Accounts.Images;

/// <summary>
/// Reads a JPEG's structure (ITU T.81): SOI, marker segments with their lengths, a frame header (SOFn) with
/// the pixel size before the first scan, scans whose entropy-coded data runs to the next marker, and EOI as
/// the end. Bytes after EOI are allowed only when they are themselves complete JPEG images (a
/// multi-picture file, as phones write for depth or HDR maps); anything else there is refused.
/// </summary>
internal static class JpegReader
{
    private const int MaxEmbeddedImages = 8;

    public static bool HasSignature(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    public static ImageInfo? Read(ReadOnlySpan<byte> data, out string reason)
    {
        var end = ReadOne(data, out var width, out var height, out var why);
        for (var embedded = 0; end > 0 && end < data.Length; embedded++)
        {
            if (embedded == MaxEmbeddedImages || !HasSignature(data[end..]))
            {
                why = "something follows its end";
                end = -1;
                break;
            }

            var next = ReadOne(data[end..], out _, out _, out why);
            end = next < 0 ? -1 : end + next;
        }

        if (end < 0)
        {
            reason = $"This file starts like a JPEG image but is not a valid one: {why}.";
            return null;
        }

        reason = string.Empty;
        return new ImageInfo(ImageFormat.Jpeg, width, height);
    }

    /// <summary>Reads one image from SOI to EOI; returns the offset after its EOI, or -1 with <paramref name="why"/>.</summary>
    private static int ReadOne(ReadOnlySpan<byte> data, out int width, out int height, out string why)
    {
        width = height = 0;
        var offset = 2;
        var frame = false;
        var scanned = false;
        while (true)
        {
            if (offset >= data.Length || data[offset] != 0xFF)
            {
                why = "its segments are broken or it ends too early";
                return -1;
            }

            // Any number of 0xFF fill bytes may precede a marker.
            while (offset < data.Length && data[offset] == 0xFF)
            {
                offset++;
            }

            if (offset >= data.Length)
            {
                why = "it ends too early";
                return -1;
            }

            var marker = data[offset++];
            if (marker == 0xD9)
            {
                if (!scanned)
                {
                    why = "it has no image data";
                    return -1;
                }

                why = string.Empty;
                return offset;
            }

            if (marker is 0xD8 or 0x00 or (>= 0xD0 and <= 0xD7))
            {
                why = "a marker is out of place";
                return -1;
            }

            if (marker == 0x01)
            {
                continue; // TEM: no length
            }

            if (data.Length - offset < 2)
            {
                why = "it ends inside a segment";
                return -1;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            if (length < 2 || data.Length - offset < length)
            {
                why = "a segment runs past the end of the file";
                return -1;
            }

            var segment = data.Slice(offset + 2, length - 2);
            offset += length;
            if (IsFrameHeader(marker))
            {
                if (segment.Length < 6)
                {
                    why = "its frame header is too short";
                    return -1;
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
                if (width == 0 || height == 0 || segment[5] == 0)
                {
                    why = "its frame header gives no size";
                    return -1;
                }

                frame = true;
            }
            else if (marker == 0xDA)
            {
                if (!frame)
                {
                    why = "a scan comes before the frame header";
                    return -1;
                }

                offset = SkipEntropyCodedData(data, offset);
                scanned = true;
            }
        }
    }

    /// <summary>
    /// The offset of the marker that ends a scan's entropy-coded data: there 0xFF 0x00 is a stuffed data byte,
    /// RSTn restart markers belong to the scan, and an 0xFF before another 0xFF is fill.
    /// </summary>
    private static int SkipEntropyCodedData(ReadOnlySpan<byte> data, int offset)
    {
        while (true)
        {
            var next = data[offset..].IndexOf((byte)0xFF);
            if (next < 0 || offset + next + 1 >= data.Length)
            {
                return data.Length;
            }

            offset += next;
            var following = data[offset + 1];
            if (following == 0x00 || following is >= 0xD0 and <= 0xD7)
            {
                offset += 2;
            }
            else if (following == 0xFF)
            {
                offset += 1;
            }
            else
            {
                return offset;
            }
        }
    }

    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    private static bool IsFrameHeader(byte marker) => marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);
}
