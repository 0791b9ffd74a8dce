using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Compresses a polling payload as the reference server does: only from <see cref="HttpCompressionOptions.Threshold"/>
/// bytes, with gzip or deflate (zlib) as the request's <c>Accept-Encoding</c> prefers, gzip on a tie.
/// </summary>
internal static class PayloadCompression
{
    /// <summary>The body to send and its content coding (null when it goes as it is).</summary>
    public static (ReadOnlyMemory<byte> Body, string? Encoding) Apply(HttpRequest request, ReadOnlyMemory<byte> payload, HttpCompressionOptions options)
    {
        if (!options.Enabled || payload.Length < options.Threshold || Choose(request) is not { } encoding)
        {
            return (payload, null);
        }

        using var output = new MemoryStream(payload.Length / 2);
        using (Stream compressor = encoding == "gzip"
            ? new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)
            : new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(payload.Span);
        }

        return (output.GetBuffer().AsMemory(0, (int)output.Length), encoding);
    }

    private static string? Choose(HttpRequest request)
    {
        var header = request.Headers.AcceptEncoding;
        if (header.Count == 0 || !StringWithQualityHeaderValue.TryParseList(header, out var offered))
        {
            return null;
        }

        double Quality(string coding)
        {
            var exact = offered.FirstOrDefault(o => o.Value.Equals(coding, StringComparison.OrdinalIgnoreCase));
            var any = offered.FirstOrDefault(o => o.Value.Equals("*", StringComparison.Ordinal));
            var chosen = exact ?? any;
            return chosen is null ? 0 : chosen.Quality ?? 1;
        }

        var gzip = Quality("gzip");
        var deflate = Quality("deflate");
        return gzip <= 0 && deflate <= 0 ? null : gzip >= deflate ? "gzip" : "deflate";
    }
}
