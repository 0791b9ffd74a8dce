using Microsoft.Extensions.Options;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Hosting;

/// <summary>Checks Engine.IO options when the host starts, so a bad value fails fast instead of at the first client.</summary>
internal sealed class EngineIOOptionsValidator : IValidateOptions<EngineIOOptions>
{
    public ValidateOptionsResult Validate(string? name, EngineIOOptions options) => Result(Check(options).ToList());

    internal static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

    public static IEnumerable<string> Check(EngineIOOptions options)
    {
        if (options.PingInterval <= TimeSpan.Zero || options.PingTimeout <= TimeSpan.Zero || options.UpgradeTimeout <= TimeSpan.Zero)
        {
            yield return "PingInterval, PingTimeout and UpgradeTimeout must be positive.";
        }

        if (options.CloseTimeout < TimeSpan.Zero)
        {
            yield return "CloseTimeout cannot be negative.";
        }

        if (options.MaxHttpBufferSize < 1)
        {
            yield return "MaxHttpBufferSize must be at least 1 byte.";
        }

        if (options.MaxQueuedOutgoingBytes < options.MaxHttpBufferSize / 1000 || options.MaxQueuedOutgoingBytes < 1024)
        {
            yield return "MaxQueuedOutgoingBytes must be at least 1024 bytes.";
        }

        if (options.PerMessageDeflate.Threshold < 0 || options.HttpCompression.Threshold < 0)
        {
            yield return "PerMessageDeflate:Threshold and HttpCompression:Threshold cannot be negative.";
        }

        if (options.PerMessageDeflate.ServerMaxWindowBits is < 9 or > 15)
        {
            yield return "PerMessageDeflate:ServerMaxWindowBits must be between 9 and 15.";
        }

        if ((options.Transports & EngineTransports.All) == 0)
        {
            yield return "At least one transport must be enabled.";
        }

        if (options.HandshakesPerMinutePerIp is < 1)
        {
            yield return "HandshakesPerMinutePerIp must be at least 1 (or null for no limit).";
        }

        if (options.MaxPendingSessions < 1 || options.MaxPendingSessionsPerIp < 1)
        {
            yield return "MaxPendingSessions and MaxPendingSessionsPerIp must be at least 1.";
        }

        if (options.MaxHandshakeBytes < 1024)
        {
            yield return "MaxHandshakeBytes must be at least 1024.";
        }

        var section = options.SectionName;
        foreach (var origin in options.Cors.AllowedOrigins)
        {
            if (origin.Trim() != "*" && OriginProblem(origin) is { } problem)
            {
                yield return $"{section}:Cors:AllowedOrigins: \"{origin}\" {problem} Use an origin such as https://chat.example.com, or \"*\" for any.";
            }
        }

        if (options.Cors.AllowCredentials && options.Cors.AllowedOrigins.Any(o => o.Trim() == "*"))
        {
            yield return OriginPolicy.WildcardWithCredentialsMessage(section);
        }

        foreach (var origin in options.PublicOrigins)
        {
            if (OriginProblem(origin) is { } problem)
            {
                yield return $"{section}:PublicOrigins: \"{origin}\" {problem} List the addresses your page is served from, such as https://chat.example.com" +
                    (origin.Trim() == "*" ? $"; to let any site connect, use {section}:Cors:AllowedOrigins=* instead." : ".");
            }
        }
    }

    private static string? OriginProblem(string value) => value.Trim() switch
    {
        WebOrigin.Opaque => "is the opaque origin of sandboxed frames and file: pages; it names no site, so it cannot be listed.",
        _ when WebOrigin.TryNormalize(value, out _, out _) => null,
        _ when Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Host.Length > 0 => "is not an origin: an origin is scheme://host[:port], without a path, query or user name.",
        _ => "is not an origin (scheme://host[:port]).",
    };
}
