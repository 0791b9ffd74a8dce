using Microsoft.Extensions.Options;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Storage;

public sealed class StorageOptionsTests
{
    [Theory]
    [InlineData("--Storage:LockTimeout=00:00:00.500", "Storage:LockTimeout must be at least 1 second.")]
    [InlineData("--Storage:WriteQueueCapacity=0", "Storage:WriteQueueCapacity, Storage:MaxBatchSize and Storage:MemoryMessagesPerChannel must be at least 1.")]
    [InlineData("--Storage:Retention=-1.00:00:00", "Storage:Retention cannot be negative (leave it unset to keep messages forever).")]
    [InlineData("--Storage:RetentionSweepInterval=00:00:00", "Storage:RetentionSweepInterval must be positive.")]
    public async Task Invalid_storage_options_stop_the_app_at_start_with_the_reason(string argument, string reason)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => ChatHost.StartAsync(null, argument));

        Assert.Contains(reason, refused.Failures);
    }
}
