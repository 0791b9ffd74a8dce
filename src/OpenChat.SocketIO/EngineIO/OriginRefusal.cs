using Microsoft.AspNetCore.Http;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Words a refused origin for the log: the rule that refused it, what the app saw, and the setting that fixes
/// it. Most refusals in a new deployment are a proxy or a setting away from working, so the line says which.
/// </summary>
internal static class OriginRefusal
{
    public static (string Rule, string Reason, string Fix) Explain(
        OriginDecision decision, HttpRequest request, string origin, string own, string section, IReadOnlyCollection<string> publicOrigins)
    {
        var allowedSetting = section + ":Cors:AllowedOrigins";
        var publicSetting = section + ":PublicOrigins";
        switch (decision)
        {
            case OriginDecision.RefusedOpaque:
                return ("opaque origin",
                    request.Headers.Origin.ToString() == WebOrigin.Opaque
                        ? "the browser sent the opaque origin \"null\" (a sandboxed frame, a file: page or a cross-site redirect), which names no site."
                        : "it is not an origin (scheme://host[:port]).",
                    $"None if this is not your page. Only {allowedSetting}=* admits it (never with credentials); better serve the page from a real origin.");

            case OriginDecision.RefusedNotPublic:
                return ("not a public origin",
                    $"{publicSetting} lists {string.Join(", ", publicOrigins)} and {allowedSetting} does not list it.",
                    $"If your page is served from {origin}, add it to {publicSetting}; if it is another site that may connect, add it to {allowedSetting}.");

            case OriginDecision.RefusedUnverifiedHost:
                var host = new Uri(origin).Host;
                return ("unverified host",
                    $"it matches the request's Host, but over plain HTTP a host name proves nothing (a DNS-rebinding page sends its own name in both), and AllowedHosts does not list {host}.",
                    $"Set AllowedHosts={host} (or {publicSetting}={origin}), or serve the page over HTTPS.");

            default:
                var seen = own.Length > 0 ? own : "a request without a usable Host header";
                var reason = $"the request reached the app as {seen} (scheme and Host after forwarded headers), a different origin, and {allowedSetting} does not list it.";
                var forwarded = request.Headers["X-Forwarded-Proto"].ToString();
                if (forwarded.Length > 0)
                {
                    // The middleware removes what it applies: a header still here came from a peer it does not trust.
                    reason += $" X-Forwarded-Proto: {forwarded} from {request.HttpContext.Connection.RemoteIpAddress} was not applied: that peer is not a trusted proxy.";
                }

                return ("cross-origin", reason,
                    $"Behind a proxy, have it forward Host with its port (nginx: proxy_set_header Host $http_host) and X-Forwarded-Proto, and trust its address " +
                    $"in the forwarded-headers middleware (ForwardedHeadersOptions.KnownProxies/KnownIPNetworks); or set {publicSetting}={origin} if that is your page's address. " +
                    $"If it is another site that may connect, add it to {allowedSetting}.");
        }
    }
}
