using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>Reads a request body into memory, refusing it as soon as it passes the limit.</summary>
internal static class RequestBodyReader
{
    /// <summary>The body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
