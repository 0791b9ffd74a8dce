namespace OpenChat.Accounts;

/// <summary>What creating an account did.</summary>
public enum AccountCreationStatus
{
    /// <summary>The account exists now.</summary>
    Created,

    /// <summary>The name (in its compared form) was registered already; nothing changed.</summary>
    NameTaken,
}
