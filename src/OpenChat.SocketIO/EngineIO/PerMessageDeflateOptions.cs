namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// WebSocket compression (RFC 7692 permessage-deflate), as the reference server's <c>perMessageDeflate</c>:
/// off by default, and when on, only messages of at least <see cref="Threshold"/> bytes are compressed.
/// Each WebSocket that negotiates it keeps a compressor and a decompressor (with <see cref="ContextTakeover"/>
/// their windows too, hundreds of KiB per connection at the default window), and every recipient compresses
/// a broadcast on its own: it trades CPU and memory for bandwidth (docs/benchmarks.md has figures).
/// </summary>
public sealed class PerMessageDeflateOptions
{
    /// <summary>Whether a client that offers permessage-deflate gets it. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Messages smaller than this many bytes are sent uncompressed. Default 1024, as the reference server.</summary>
    public int Threshold { get; set; } = 1024;

    /// <summary>
    /// Whether the server's compressor keeps its window from one message to the next (better ratios for
    /// similar messages, more memory per connection). Default true, as the reference server.
    /// </summary>
    public bool ContextTakeover { get; set; } = true;

    /// <summary>The server's LZ77 window, 2^bits bytes (9 to 15). Default 15.</summary>
    public int ServerMaxWindowBits { get; set; } = 15;
}
