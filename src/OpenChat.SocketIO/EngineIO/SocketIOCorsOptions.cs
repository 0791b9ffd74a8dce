namespace OpenChat.SocketIO.EngineIO;

/// <summary>Which other sites' pages may reach the server (cross-origin access).</summary>
public sealed class SocketIOCorsOptions
{
    /// <summary>
    /// Origins allowed besides the server's own, e.g. <c>https://chat.example.com</c>; <c>*</c> allows any.
    /// Empty by default (same origin only). Applies to polling, preflights and the WebSocket <c>Origin</c> header.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    /// <summary>
    /// Whether credentialed (cookie) cross-origin polling requests from the listed origins are allowed. Default
    /// false. It cannot be combined with <c>*</c>: the host refuses to start, as ASP.NET Core's CORS does.
    /// </summary>
    public bool AllowCredentials { get; set; }
}
