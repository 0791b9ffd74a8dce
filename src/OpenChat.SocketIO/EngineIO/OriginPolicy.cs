using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Decides whether a request's <c>Origin</c> may use the server, and writes the CORS headers for polling and
/// preflights. The rules, in order:
/// <list type="number">
/// <item>No <c>Origin</c> (not a browser): served.</item>
/// <item>An origin in <see cref="SocketIOCorsOptions.AllowedOrigins"/>: served cross-origin; <c>*</c> serves any
/// origin, <c>null</c> included, but never with credentials (that combination does not start).</item>
/// <item>When <see cref="EngineIOOptions.PublicOrigins"/> is set, it alone says what the page's own origin is.</item>
/// <item>Otherwise the page's origin is the request's as the app sees it (scheme and <c>Host</c>, after
/// ASP.NET Core's forwarded-headers middleware), and its host must be one DNS rebinding cannot fake: reached
/// over HTTPS (the browser checked the certificate), an IP literal, <c>localhost</c>, or listed in
/// <c>AllowedHosts</c>.</item>
/// </list>
/// No header a client sends (<c>X-Forwarded-Proto</c> included) is trusted here; the forwarded-headers
/// middleware decides which proxies may rewrite the request. Socket.IO 2.x clients poll with credentials
/// (XHR <c>withCredentials</c>), so with <see cref="EngineIOOptions.AllowEIO3"/> an origin named in a setting
/// gets credentialed answers to its v3 requests, <see cref="SocketIOCorsOptions.AllowCredentials"/> or not.
/// </summary>
internal sealed partial class OriginPolicy
{
    private readonly SocketIOCorsOptions _cors;
    private readonly string _section;
    private readonly ILogger _logger;
    private readonly bool _allowEio3;
    private readonly bool _allowAny;
    private readonly HashSet<string> _allowed;
    private readonly HashSet<string> _public;
    private readonly List<StringSegment> _allowedHosts;

    public OriginPolicy(EngineIOOptions options, ILogger logger)
    {
        _cors = options.Cors;
        _section = options.SectionName;
        _logger = logger;
        _allowEio3 = options.AllowEIO3;
        _allowAny = options.Cors.AllowedOrigins.Any(o => o.Trim() == "*");
        if (_allowAny && options.Cors.AllowCredentials)
        {
            // The validator says so at start; this guards options built without it.
            throw new InvalidOperationException(WildcardWithCredentialsMessage(_section));
        }

        _allowed = Normalized(options.Cors.AllowedOrigins);
        _public = Normalized(options.PublicOrigins);
        _allowedHosts = options.AllowedHosts.Where(h => h.Trim() is { Length: > 0 } and not "*").Select(h => new StringSegment(h.Trim())).ToList();
    }

    /// <summary>The start-up error for <c>*</c> with credentials, worded as ASP.NET Core's CORS words it.</summary>
    public static string WildcardWithCredentialsMessage(string section) =>
        $"{section}:Cors:AllowCredentials is true while {section}:Cors:AllowedOrigins contains \"*\": the CORS protocol does not allow " +
        "a wildcard origin with credentials, and reflecting every origin instead would let any site act as the signed-in user. " +
        "List the origins that may send credentials, or turn AllowCredentials off.";

    /// <summary>Whether the request may proceed; a refusal is logged with the rule that refused it and the setting that fixes it.</summary>
    public bool IsAllowed(HttpRequest request)
    {
        var decision = Evaluate(request, out var origin, out var own);
        if (decision < OriginDecision.RefusedOpaque)
        {
            return true;
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            var (rule, reason, fix) = OriginRefusal.Explain(decision, request, origin, own, _section, _public);
            Log.OriginRejected(_logger, request.Headers.Origin.ToString(), rule, reason, fix);
        }

        return false;
    }

    /// <summary>Adds CORS response headers when the request is cross-origin (as far as the app can tell) and allowed.</summary>
    public void ApplyHeaders(HttpContext context)
    {
        var request = context.Request;
        var decision = Evaluate(request, out _, out _);
        if (decision is OriginDecision.NoOrigin or OriginDecision.SameOrigin or >= OriginDecision.RefusedOpaque)
        {
            return;
        }

        // A public origin may still be cross-origin to the browser (a page on another host): echoing it is harmless
        // when it is not, and needed when it is. Credentials go only to origins named in a setting, never to "*".
        var headers = context.Response.Headers;
        if (decision == OriginDecision.AnyOrigin)
        {
            headers.AccessControlAllowOrigin = "*";
        }
        else
        {
            headers.AccessControlAllowOrigin = request.Headers.Origin.ToString();
            headers.Vary = "Origin";
            if (_cors.AllowCredentials || (_allowEio3 && request.Query["EIO"] == "3"))
            {
                headers.AccessControlAllowCredentials = "true";
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

    internal OriginDecision Evaluate(HttpRequest request, out string origin, out string own)
    {
        origin = string.Empty;
        own = string.Empty;
        var header = request.Headers.Origin;
        if (StringValues.IsNullOrEmpty(header))
        {
            return OriginDecision.NoOrigin;
        }

        if (header.Count != 1 || !WebOrigin.TryNormalize(header.ToString(), out origin, out var originUri))
        {
            origin = string.Empty;
            return _allowAny ? OriginDecision.AnyOrigin : OriginDecision.RefusedOpaque;
        }

        if (_allowed.Contains(origin))
        {
            return OriginDecision.AllowedOrigin;
        }

        WebOrigin.TryGetRequestOrigin(request.Scheme, request.Host.Value, out own, out _);
        if (_public.Count > 0)
        {
            return _public.Contains(origin) ? OriginDecision.PublicOrigin
                : _allowAny ? OriginDecision.AnyOrigin
                : OriginDecision.RefusedNotPublic;
        }

        if (own == origin)
        {
            return IsVouchedFor(originUri!) ? OriginDecision.SameOrigin
                : _allowAny ? OriginDecision.AnyOrigin
                : OriginDecision.RefusedUnverifiedHost;
        }

        return _allowAny ? OriginDecision.AnyOrigin : OriginDecision.RefusedCrossOrigin;
    }

    // A Host header proves nothing by itself: a page on a name the attacker controls, re-pointed at this server,
    // sends its own name in both Host and Origin. Certificates, addresses, localhost and AllowedHosts do prove it.
    private bool IsVouchedFor(Uri origin) =>
        origin.Scheme == Uri.UriSchemeHttps
        || WebOrigin.IsAddressOrLocalhost(origin)
        || (_allowedHosts.Count > 0 && HostString.MatchesAny(new StringSegment(origin.Authority), _allowedHosts));

    private static HashSet<string> Normalized(IEnumerable<string> origins)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in origins)
        {
            if (WebOrigin.TryNormalize(value, out var origin, out _))
            {
                set.Add(origin);
            }
        }

        return set;
    }
}
