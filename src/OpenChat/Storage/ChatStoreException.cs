namespace OpenChat.Storage;

/// <summary>The store cannot do what was asked; <see cref="Exception.Message"/> says why in words an operator can act on.</summary>
public sealed class ChatStoreException : Exception
{
    public ChatStoreException(ChatStoreFailure failure, string message, Exception? inner = null)
        : base(message, inner) => Failure = failure;

    /// <summary>What kind of trouble it is.</summary>
    public ChatStoreFailure Failure { get; }
}

/// <summary>Kinds of store trouble.</summary>
public enum ChatStoreFailure
{
    /// <summary>The database can be read but not written (file permissions, a read-only mode or server).</summary>
    ReadOnly,

    /// <summary>Another process holds the database locked for longer than the lock timeout.</summary>
    Locked,

    /// <summary>The database cannot be opened or reached.</summary>
    Unavailable,

    /// <summary>The database was made by a newer OpenChat, or is not an OpenChat database.</summary>
    Incompatible,

    /// <summary>Anything else the database refused.</summary>
    Failed,
}
