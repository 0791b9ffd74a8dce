using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Decides whether a request's <c>Origin</c> may use the server and writes the CORS headers for polling.
/// Requests without an Origin (non-browser clients) and same-origin requests are always allowed.
/// Socket.IO 2.x clients poll with credentials (XHR <c>withCredentials</c>), so with
/// <see cref="EngineIOOptions.AllowEIO3"/> an origin that is listed by name gets credentialed answers to its
/// v3 requests; <c>*</c> never does, since it would let any site send the user's cookies.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly SocketIOCorsOptions _options;
    private readonly bool _allowEio3;
    private readonly bool _allowAny;
    private readonly HashSet<string> _allowed;

    public OriginPolicy(SocketIOCorsOptions options, bool allowEio3 = false)
    {
        _options = options;
        _allowEio3 = allowEio3;
        _allowAny = options.AllowedOrigins.Contains("*");
        _allowed = new HashSet<string>(options.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
    }

    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin;
        if (StringValues.IsNullOrEmpty(origin))
        {
            return true;
        }

        var value = origin.ToString();
        return _allowAny || _allowed.Contains(value) || IsSameOrigin(request, value);
    }

    /// <summary>Adds CORS response headers when the request is cross-origin and allowed.</summary>
    public void ApplyHeaders(HttpContext context)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsSameOrigin(request, origin) || !IsAllowed(request))
        {
            return;
        }

        var headers = context.Response.Headers;
        if (_options.AllowCredentials || (_allowEio3 && request.Query["EIO"] == "3" && _allowed.Contains(origin)))
        {
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlAllowCredentials = "true";
            headers.Vary = "Origin";
        }
        else
        {
            headers.AccessControlAllowOrigin = _allowAny ? "*" : origin;
            if (!_allowAny)
            {
                headers.Vary = "Origin";
            }
        }

        if (HttpMethods.IsOptions(request.Method))
        {
            headers.AccessControlAllowMethods = "GET,POST";
            var requested = request.Headers.AccessControlRequestHeaders;
            if (!StringValues.IsNullOrEmpty(requested))
            {
                headers.AccessControlAllowHeaders = requested;
            }

            headers.AccessControlMaxAge = "86400";
        }
    }

    private static bool IsSameOrigin(HttpRequest request, string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var scheme = request.Headers["X-Forwarded-Proto"].ToString() is { Length: > 0 } forwarded ? forwarded : request.Scheme;
        return string.Equals(uri.Scheme, scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
