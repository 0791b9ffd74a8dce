namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Origins as browsers serialize them (RFC 6454): <c>scheme://host[:port]</c>, lower-case, without the
/// scheme's default port, path, query or user info. Configured and received origins are compared in this form,
/// so <c>https://Chat.Example.com:443/</c> in a setting matches the <c>https://chat.example.com</c> a browser sends.
/// </summary>
internal static class WebOrigin
{
    /// <summary>The serialization of opaque origins (sandboxed frames, <c>file:</c> pages, cross-site redirects).</summary>
    public const string Opaque = "null";

    /// <summary>Parses a browser's <c>Origin</c> header or a configured origin.</summary>
    public static bool TryNormalize(string? value, out string origin, out Uri? uri)
    {
        origin = string.Empty;
        uri = null;
        if (string.IsNullOrWhiteSpace(value) || value == Opaque
            || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var parsed)
            || parsed.IsFile || parsed.IsUnc || parsed.Host.Length == 0
            || parsed.UserInfo.Length > 0 || parsed.AbsolutePath != "/" || parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            return false;
        }

        uri = parsed;
        // Browsers send international names in their ASCII (punycode) form.
        origin = parsed.HostNameType == UriHostNameType.Dns
            ? parsed.Scheme + "://" + parsed.IdnHost + (parsed.IsDefaultPort ? string.Empty : ":" + parsed.Port)
            : parsed.GetLeftPart(UriPartial.Authority);
        origin = origin.ToLowerInvariant();
        return true;
    }

    /// <summary>The origin a request was made to, as the app sees it: its scheme and its <c>Host</c> header.</summary>
    public static bool TryGetRequestOrigin(string scheme, string? host, out string origin, out Uri? uri)
    {
        origin = string.Empty;
        uri = null;
        return !string.IsNullOrEmpty(host) && !host.Contains('/') && !host.Contains('@')
            && TryNormalize(scheme + "://" + host, out origin, out uri);
    }

    /// <summary>
    /// Whether a host is one that DNS rebinding cannot produce: an IP literal (the browser connected to exactly that
    /// address) or a <c>localhost</c> name (resolved to loopback by the browser, never delegated in DNS).
    /// </summary>
    public static bool IsAddressOrLocalhost(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
        || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
}
