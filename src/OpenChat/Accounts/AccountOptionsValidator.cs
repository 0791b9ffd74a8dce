using Microsoft.Extensions.Options;

namespace OpenChat.Accounts;

/// <summary>Refuses account options that cannot work, when the app starts, naming the setting.</summary>
internal sealed class AccountOptionsValidator : IValidateOptions<AccountOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountOptions options)
    {
        var failures = new List<string>();
        Positive(failures, nameof(options.MinPasswordLength), options.MinPasswordLength);
        if (options.MaxPasswordLength < options.MinPasswordLength)
        {
            failures.Add($"Accounts:MaxPasswordLength ({options.MaxPasswordLength}) must be at least Accounts:MinPasswordLength ({options.MinPasswordLength}).");
        }

        Positive(failures, nameof(options.SignInAttemptsPerIp), options.SignInAttemptsPerIp);
        Positive(failures, nameof(options.SignInAttemptsPerName), options.SignInAttemptsPerName);
        Positive(failures, nameof(options.SignUpsPerIp), options.SignUpsPerIp);
        Positive(failures, nameof(options.MaxAvatarBytes), options.MaxAvatarBytes);
        Positive(failures, nameof(options.MaxAvatarDimension), options.MaxAvatarDimension);
        Positive(failures, nameof(options.AvatarUploadsPerAccount), options.AvatarUploadsPerAccount);
        Positive(failures, nameof(options.SignInLifetime), options.SignInLifetime);
        Positive(failures, nameof(options.SignInWindow), options.SignInWindow);
        Positive(failures, nameof(options.SignUpWindow), options.SignUpWindow);
        Positive(failures, nameof(options.AvatarUploadWindow), options.AvatarUploadWindow);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string setting, int value)
    {
        if (value < 1)
        {
            failures.Add($"Accounts:{setting} must be at least 1 (it is {value}).");
        }
    }

    private static void Positive(List<string> failures, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"Accounts:{setting} must be longer than zero (it is {value}).");
        }
    }
}
