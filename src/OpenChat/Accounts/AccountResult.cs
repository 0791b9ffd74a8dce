namespace OpenChat.Accounts;

/// <summary>A sign-up or sign-in: the account, or the reason it was refused (to show as it is).</summary>
public sealed record AccountResult(AccountRecord? Account, string? Reason)
{
    public bool Succeeded => Account is not null;

    public static AccountResult Refused(string reason) => new(null, reason);
}
