namespace OpenChat.SocketIO;

/// <summary>
/// The server side of the official Socket.IO Admin UI (<c>@socket.io/admin-ui</c> 0.5.x): what Node's
/// <c>instrument(io, options)</c> does, on a namespace of its own. Bound from <c>SocketIO:AdminUI</c>.
/// </summary>
public sealed class AdminUIOptions
{
    /// <summary>Whether the admin namespace exists. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The admin namespace. Default <c>/admin</c>, as the UI expects.</summary>
    public string Namespace { get; set; } = "/admin";

    /// <summary>
    /// Whether the UI must log in with <see cref="Username"/> and a password matching <see cref="PasswordHash"/>.
    /// Must be set when <see cref="Enabled"/>: true, or false to leave the namespace open on purpose (as Node's
    /// <c>auth: false</c>). Unset, the host does not start.
    /// </summary>
    public bool? Auth { get; set; }

    /// <summary>The login name the UI sends, when <see cref="Auth"/> is true.</summary>
    public string? Username { get; set; }

    /// <summary>
    /// A bcrypt hash of the password (e.g. <c>$2b$10$...</c>, as Node's <c>bcrypt.hashSync</c> or
    /// <c>htpasswd -nbBC 10 "" password</c> makes), when <see cref="Auth"/> is true. The password itself is never stored.
    /// </summary>
    public string? PasswordHash { get; set; }

    /// <summary>Whether the UI may only look: no emit, join, leave or disconnect. Default false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// <see cref="AdminUIMode.Development"/> (the default, as Node's when NODE_ENV is unset) sends every socket and
    /// event to the UI; <see cref="AdminUIMode.Production"/> only the aggregated statistics.
    /// </summary>
    public AdminUIMode Mode { get; set; } = AdminUIMode.Development;

    /// <summary>This server's name in the UI's server list. Default: the machine name.</summary>
    public string? ServerId { get; set; }

    /// <summary>How often <c>server_stats</c> goes to the UI. Default 2 s, as Node's.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(2);
}
