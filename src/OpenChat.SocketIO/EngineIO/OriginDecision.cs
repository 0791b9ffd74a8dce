namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// What <see cref="OriginPolicy"/> decided about a request's <c>Origin</c>, and by which rule. The refusals come
/// last, from <see cref="RefusedOpaque"/> on: the policy tells admissions from refusals by that order.
/// </summary>
internal enum OriginDecision
{
    /// <summary>No <c>Origin</c> header: not a browser (Node, .NET, curl), which no origin rule concerns.</summary>
    NoOrigin,

    /// <summary>The request's own origin, with a host that TLS, an IP literal, localhost or <c>AllowedHosts</c> vouches for.</summary>
    SameOrigin,

    /// <summary>One of the configured public origins.</summary>
    PublicOrigin,

    /// <summary>Listed in the CORS allowed origins.</summary>
    AllowedOrigin,

    /// <summary>Admitted only because the CORS allowed origins contain <c>*</c>.</summary>
    AnyOrigin,

    /// <summary>Refused: <c>null</c> or not an origin at all, which names no site.</summary>
    RefusedOpaque,

    /// <summary>Refused: public origins are configured and this is not one of them.</summary>
    RefusedNotPublic,

    /// <summary>Refused: not the origin the request reached the app as, and not allowed cross-origin.</summary>
    RefusedCrossOrigin,

    /// <summary>Refused: matches the Host over plain HTTP, but nothing vouches for that host name (DNS rebinding).</summary>
    RefusedUnverifiedHost,
}
