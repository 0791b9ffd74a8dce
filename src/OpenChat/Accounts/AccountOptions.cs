namespace OpenChat.Accounts;

/// <summary>Accounts, sign-in and avatars; bound from the "Accounts" configuration section (e.g. <c>Accounts__MinPasswordLength</c>).</summary>
public sealed class AccountOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Accounts";

    /// <summary>Shortest accepted password, in characters. Default 8.</summary>
    public int MinPasswordLength { get; set; } = 8;

    /// <summary>Longest accepted password, in characters (hashing a huge one is work an attacker could ask for). Default 256.</summary>
    public int MaxPasswordLength { get; set; } = 256;

    /// <summary>How long a sign-in lasts without a visit; each visit in its second half renews it. Default 30 days.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Sign-in attempts one IP address may make per <see cref="SignInWindow"/>, right or wrong. Default 20.</summary>
    public int SignInAttemptsPerIp { get; set; } = 20;

    /// <summary>Sign-in attempts for one name (in its compared form) per <see cref="SignInWindow"/>, from anywhere. Default 5.</summary>
    public int SignInAttemptsPerName { get; set; } = 5;

    /// <summary>The window the sign-in attempt limits count in. Default 5 minutes.</summary>
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Accounts one IP address may create per <see cref="SignUpWindow"/>. Default 5.</summary>
    public int SignUpsPerIp { get; set; } = 5;

    /// <summary>The window <see cref="SignUpsPerIp"/> counts in. Default 1 hour.</summary>
    public TimeSpan SignUpWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Largest avatar file accepted, in bytes. Default 1 048 576 (1 MiB).</summary>
    public int MaxAvatarBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest avatar width and height, in pixels: a small file can describe a huge image that every viewer's browser would have to decode. Default 2048.</summary>
    public int MaxAvatarDimension { get; set; } = 2048;

    /// <summary>Avatar uploads (and removals) one account may make per <see cref="AvatarUploadWindow"/>. Default 20.</summary>
    public int AvatarUploadsPerAccount { get; set; } = 20;

    /// <summary>The window <see cref="AvatarUploadsPerAccount"/> counts in. Default 1 hour.</summary>
    public TimeSpan AvatarUploadWindow { get; set; } = TimeSpan.FromHours(1);
}
