using Microsoft.AspNetCore.Http;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>A request the Engine.IO server refused (Node's <c>connection_error</c> event), as <see cref="EngineIOServer.ConnectionError"/> reports it.</summary>
public sealed class EngineConnectionError
{
    internal EngineConnectionError(HttpRequest request, EngineErrorCode code, string message, int statusCode)
    {
        Request = request;
        Code = code;
        Message = message;
        StatusCode = statusCode;
    }

    /// <summary>The refused request; valid only while the event runs (read what you keep from it there).</summary>
    public HttpRequest Request { get; }

    /// <summary>The code the client receives in the body (<c>{"code":N,"message":"..."}</c>).</summary>
    public EngineErrorCode Code { get; }

    /// <summary>The message the client receives, e.g. <c>"Session ID unknown"</c>.</summary>
    public string Message { get; }

    /// <summary>The HTTP status of the answer: 400, 403, or 429 for too many handshakes.</summary>
    public int StatusCode { get; }
}
