namespace OpenChat.Accounts;

/// <summary>The outcome of <see cref="IAccountStore.CreateAsync"/>, with the new account when one was created.</summary>
public sealed record AccountCreation(AccountCreationStatus Status, AccountRecord? Account);
