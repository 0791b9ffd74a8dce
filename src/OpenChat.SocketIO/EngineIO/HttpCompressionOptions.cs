namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Compression of long-polling responses, as the reference server's <c>httpCompression</c>: on by default,
/// for payloads of at least <see cref="Threshold"/> bytes, with gzip or deflate as the request's
/// <c>Accept-Encoding</c> allows (browsers always offer both).
/// </summary>
public sealed class HttpCompressionOptions
{
    /// <summary>Whether polling payloads are compressed when the client accepts it. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Payloads smaller than this many bytes are sent as they are. Default 1024, as the reference server.</summary>
    public int Threshold { get; set; } = 1024;
}
