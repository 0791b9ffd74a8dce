using System.Buffers.Text;
using System.Security.Cryptography;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>Unguessable ids: 15 bytes from the cryptographic RNG, URL-safe base64 (20 characters, as the reference server).</summary>
internal static class SessionIdGenerator
{
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
