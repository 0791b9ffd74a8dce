using Microsoft.Extensions.Options;

namespace OpenChat.Storage;

/// <summary>Checks <see cref="StorageOptions"/> when the host starts.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (options.Retention is { } retention && retention < TimeSpan.Zero)
        {
            failures.Add("Storage:Retention cannot be negative (leave it unset to keep messages forever).");
        }

        if (options.RetentionSweepInterval <= TimeSpan.Zero)
        {
            failures.Add("Storage:RetentionSweepInterval must be positive.");
        }

        if (options.WriteQueueCapacity < 1 || options.MaxBatchSize < 1 || options.MemoryMessagesPerChannel < 1)
        {
            failures.Add("Storage:WriteQueueCapacity, Storage:MaxBatchSize and Storage:MemoryMessagesPerChannel must be at least 1.");
        }

        if (options.LockTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add("Storage:LockTimeout must be at least 1 second.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
