namespace OpenChat.Storage;

/// <summary>How far a committed SQLite transaction is guaranteed to survive (SQLite's <c>synchronous</c> setting in WAL mode).</summary>
public enum SqliteDurability
{
    /// <summary>Survives the app crashing or being killed; the last commits may be lost on a power cut (<c>synchronous=NORMAL</c>).</summary>
    Normal,

    /// <summary>Survives a power cut too: every commit is flushed to the disk (<c>synchronous=FULL</c>).</summary>
    Full,
}
