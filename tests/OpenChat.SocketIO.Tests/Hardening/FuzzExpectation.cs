namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>What the protocol says must happen to a session after one fuzz case.</summary>
public sealed record FuzzExpectation(FuzzExpectation.Kind Outcome, string? Reason)
{
    public enum Kind
    {
        /// <summary>The input is valid: the session must still answer afterwards.</summary>
        Accept,

        /// <summary>The input breaks the protocol: the session must close, with <see cref="Reason"/> when given.</summary>
        Close,

        /// <summary>Random damage: either outcome is right, but a close must carry a protocol reason.</summary>
        Either,
    }

    /// <summary>The reasons a client's bad input may close a session with.</summary>
    public static readonly string[] ProtocolReasons = ["parse error", "transport error", "transport close"];

    public static readonly FuzzExpectation Accepted = new(Kind.Accept, null);

    public static readonly FuzzExpectation Either = new(Kind.Either, null);

    public static readonly FuzzExpectation ParseError = new(Kind.Close, "parse error");

    public static readonly FuzzExpectation TransportError = new(Kind.Close, "transport error");

    public static readonly FuzzExpectation TransportClose = new(Kind.Close, "transport close");

    /// <summary>Must close, with any of the protocol reasons.</summary>
    public static readonly FuzzExpectation Closed = new(Kind.Close, null);

    public override string ToString() => Reason is null ? Outcome.ToString() : $"{Outcome} ({Reason})";
}
