using Microsoft.Extensions.Options;
using OpenChat.Accounts;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Accounts;

public sealed class AccountOptionsTests
{
    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var o = new AccountOptions();

        Assert.Equal((8, 256, TimeSpan.FromDays(30)), (o.MinPasswordLength, o.MaxPasswordLength, o.SignInLifetime));
        Assert.Equal((20, 5, TimeSpan.FromMinutes(5)), (o.SignInAttemptsPerIp, o.SignInAttemptsPerName, o.SignInWindow));
        Assert.Equal((5, TimeSpan.FromHours(1)), (o.SignUpsPerIp, o.SignUpWindow));
        Assert.Equal((1_048_576, 2048), (o.MaxAvatarBytes, o.MaxAvatarDimension));
        Assert.Equal((20, TimeSpan.FromHours(1)), (o.AvatarUploadsPerAccount, o.AvatarUploadWindow));
    }

    [Theory]
    [InlineData("--Accounts:MinPasswordLength=0", "Accounts:MinPasswordLength must be at least 1 (it is 0).")]
    [InlineData("--Accounts:MaxPasswordLength=4", "Accounts:MaxPasswordLength (4) must be at least Accounts:MinPasswordLength (8).")]
    [InlineData("--Accounts:SignInAttemptsPerName=0", "Accounts:SignInAttemptsPerName must be at least 1 (it is 0).")]
    [InlineData("--Accounts:MaxAvatarBytes=-1", "Accounts:MaxAvatarBytes must be at least 1 (it is -1).")]
    [InlineData("--Accounts:SignInWindow=00:00:00", "Accounts:SignInWindow must be longer than zero (it is 00:00:00).")]
    public async Task Invalid_account_options_stop_the_app_at_start_with_the_reason(string argument, string reason)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => ChatHost.StartAsync(null, argument));

        Assert.Contains(reason, refused.Failures);
    }
}
