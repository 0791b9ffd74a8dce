namespace OpenChat.Bench.Scenarios;

/// <summary>A delay that ends early, without throwing, when the scenario's time cap is reached.</summary>
internal static class Pause
{
    public static async Task ForAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
