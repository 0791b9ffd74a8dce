using System.Text;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>One frame of a fuzz case.</summary>
public sealed record FuzzFrame(byte[] Data, bool Binary)
{
    public static FuzzFrame Text(string text) => new(Encoding.UTF8.GetBytes(text), false);

    public override string ToString()
    {
        if (Binary)
        {
            return $"<binary {Convert.ToHexString(Data.AsSpan(0, Math.Min(Data.Length, 32)))}{(Data.Length > 32 ? "..." : "")}>";
        }

        // Printable ASCII as is, everything else escaped, so a failing case can be pasted back.
        var text = new StringBuilder("\"");
        foreach (var b in Data.AsSpan(0, Math.Min(Data.Length, 300)))
        {
            text.Append(b is >= 0x20 and < 0x7f and not (byte)'\\' ? (char)b : $"\\x{b:x2}");
        }

        return text.Append(Data.Length > 300 ? "...\"" : "\"").ToString();
    }
}
