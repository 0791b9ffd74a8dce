using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>Writes the reference error body: <c>{"code":N,"message":"..."}</c> with 400 (403 for Forbidden).</summary>
internal static class EngineErrorResponse
{
    public static Task WriteAsync(HttpContext context, EngineErrorCode code) =>
        WriteAsync(context, EngineErrorMessages.StatusCode(code), code, EngineErrorMessages.For(code));

    /// <summary>Writes an error of the same shape with another status and message (e.g. 429 for the handshake rate limit).</summary>
    public static Task WriteAsync(HttpContext context, int statusCode, EngineErrorCode code, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody((int)code, message), ErrorBodyContext.Default.ErrorBody);
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    internal sealed record ErrorBody(int code, string message);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(EngineErrorResponse.ErrorBody))]
internal sealed partial class ErrorBodyContext : System.Text.Json.Serialization.JsonSerializerContext;
