namespace OpenChat.Storage;

/// <summary>
/// Where and how chat messages are kept; bound from the "Storage" configuration section (e.g.
/// <c>Storage__Retention</c>). Which database is used comes from <c>ConnectionStrings:Chat</c>.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Storage";

    /// <summary>The connection string name: <c>ConnectionStrings:Chat</c>.</summary>
    public const string ConnectionStringName = "Chat";

    /// <summary>The SQLite file created in <see cref="DataFolder"/> when no connection string is set.</summary>
    public const string DefaultFileName = "openchat.db";

    /// <summary>
    /// Whether messages are written to a database. Off, nothing touches the disk: messages are delivered at
    /// once, the last ones per channel are kept in memory only (<see cref="MemoryMessagesPerChannel"/>), and
    /// channels last until the app stops. Default true.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The app's data folder, where the default SQLite file lives; created on first run. Default: the
    /// user's local application data folder plus <c>OpenChat</c> (<c>$XDG_DATA_HOME/OpenChat</c>, usually
    /// <c>~/.local/share/OpenChat</c>, on Linux; <c>%LOCALAPPDATA%\OpenChat</c> on Windows).
    /// </summary>
    public string? DataFolder { get; set; }

    /// <summary>Messages older than this are deleted. Null or zero keeps them forever (the default).</summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>How often old messages are looked for when <see cref="Retention"/> is set. Default 10 minutes.</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Messages waiting to be written, at most. When the database falls this far behind, new messages are
    /// refused to their senders with a reason (nothing is dropped silently). Default 10 000.
    /// </summary>
    public int WriteQueueCapacity { get; set; } = 10_000;

    /// <summary>Most messages written in one transaction. Default 500.</summary>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>
    /// How long a write waits for a database another process holds locked (SQLite), or for a command or a
    /// connection (PostgreSQL), before it fails and its messages are refused. Also how long the app waits at
    /// start before it reports a locked database. Whole seconds, at least 1. Default 5 s.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// SQLite only: <see cref="SqliteDurability.Normal"/> (the default) makes a committed message survive the
    /// app crashing or being killed; <see cref="SqliteDurability.Full"/> also survives a power cut or an OS
    /// crash, at the cost of one disk flush per batch. PostgreSQL follows its own <c>synchronous_commit</c>.
    /// </summary>
    public SqliteDurability SqliteDurability { get; set; } = SqliteDurability.Normal;

    /// <summary>With <see cref="Enabled"/> false, how many recent messages each channel keeps in memory. Default 500.</summary>
    public int MemoryMessagesPerChannel { get; set; } = 500;

    /// <summary>The data folder actually used: <see cref="DataFolder"/>, or the default described there.</summary>
    public string ResolveDataFolder()
    {
        if (!string.IsNullOrWhiteSpace(DataFolder))
        {
            return Path.GetFullPath(DataFolder);
        }

        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);

        // A service account may have no home folder; the folder beside the app is then the only sure place.
        return Path.Combine(string.IsNullOrEmpty(local) ? Path.Combine(AppContext.BaseDirectory, "data") : local, "OpenChat");
    }
}
