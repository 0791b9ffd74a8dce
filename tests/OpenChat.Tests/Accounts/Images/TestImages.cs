using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace OpenChat.Tests.Accounts.Images;

/// <summary>
/// Image files built byte by byte from the format specifications: a real, decodable PNG (zlib-compressed
/// RGB rows), and JPEG and WebP files whose structure is complete (markers and lengths, RIFF chunks) for
/// the structural checks. Files from a real encoder come from Chromium in <c>Browser/AvatarFormatTests</c>.
/// </summary>
internal static class TestImages
{
    public static byte[] Png(int width, int height, params (string Type, byte[] Data)[] extraChunks)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        WriteChunk(file, "IHDR", header);
        foreach (var (type, data) in extraChunks)
        {
            WriteChunk(file, type, data);
        }

        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter: none
                for (var x = 0; x < width; x++)
                {
                    zlib.Write([(byte)(x * 40), (byte)(y * 40), 200]);
                }
            }
        }

        WriteChunk(file, "IDAT", pixels.ToArray());
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    public static void WriteChunk(Stream file, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        file.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        file.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typed));
        file.Write(crc);
    }

    /// <summary>SOI, APP0, a baseline frame header of the size, a scan with some entropy-coded bytes (a stuffed 0xFF and a restart marker among them), EOI.</summary>
    public static byte[] Jpeg(int width, int height)
    {
        var bytes = new List<byte> { 0xFF, 0xD8 };
        Segment(bytes, 0xE0, [.. "JFIF\0"u8.ToArray(), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        Segment(bytes, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        Segment(bytes, 0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);
        Segment(bytes, 0xC4, [0, 1, .. new byte[15], 0]);
        Segment(bytes, 0xDA, [1, 1, 0, 0, 63, 0]);
        bytes.AddRange([0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A]);
        bytes.AddRange([0xFF, 0xD9]);
        return [.. bytes];
    }

    private static void Segment(List<byte> bytes, byte marker, byte[] data)
    {
        bytes.AddRange([0xFF, marker, (byte)((data.Length + 2) >> 8), (byte)(data.Length + 2)]);
        bytes.AddRange(data);
    }

    /// <summary>A lossless WebP: RIFF, WEBP, a VP8L chunk whose header gives the size (the rest of its bitstream is filler).</summary>
    public static byte[] WebPLossless(int width, int height)
    {
        var bits = (uint)(width - 1) | ((uint)(height - 1) << 14);
        var header = new byte[5];
        header[0] = 0x2F;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(1), bits);
        return Riff(("VP8L", [.. header, 0, 0, 0]));
    }

    /// <summary>An extended WebP: VP8X with the canvas size, then a lossy key frame.</summary>
    public static byte[] WebPExtended(int width, int height)
    {
        var canvas = new byte[10];
        Write24(canvas.AsSpan(4), width - 1);
        Write24(canvas.AsSpan(7), height - 1);
        byte[] frame = [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0, 0, 0];
        return Riff(("VP8X", canvas), ("VP8 ", frame));
    }

    public static byte[] Riff(params (string Type, byte[] Data)[] chunks)
    {
        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        foreach (var (type, data) in chunks)
        {
            body.Write(Encoding.ASCII.GetBytes(type));
            var size = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(size, data.Length);
            body.Write(size);
            body.Write(data);
            if (data.Length % 2 == 1)
            {
                body.WriteByte(0);
            }
        }

        var riff = new byte[8];
        "RIFF"u8.CopyTo(riff);
        BinaryPrimitives.WriteInt32LittleEndian(riff.AsSpan(4), (int)body.Length);
        return [.. riff, .. body.ToArray()];
    }

    private static void Write24(Span<byte> target, int value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }
}
