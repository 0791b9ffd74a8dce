using Microsoft.Extensions.Options;

namespace OpenChat.SocketIO.Hosting;

/// <summary>Checks Socket.IO options (the Engine.IO ones they extend included) when the host starts.</summary>
internal sealed class SocketIOOptionsValidator : IValidateOptions<SocketIOOptions>
{
    public ValidateOptionsResult Validate(string? name, SocketIOOptions options)
    {
        var failures = EngineIOOptionsValidator.Check(options).ToList();
        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add("ConnectTimeout must be positive.");
        }

        if (options.BinaryPacketTimeout <= TimeSpan.Zero)
        {
            failures.Add("BinaryPacketTimeout must be positive.");
        }

        if (options.AckTimeout <= TimeSpan.Zero && options.AckTimeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add("AckTimeout must be positive or infinite.");
        }

        if (options.MaxAttachments < 0)
        {
            failures.Add("MaxAttachments cannot be negative.");
        }

        if (options.MaxPendingAcks < 1 || options.MaxBufferedIncomingPackets < 1)
        {
            failures.Add("MaxPendingAcks and MaxBufferedIncomingPackets must be at least 1.");
        }

        if (options.MaxConcurrentHandlersPerSocket < 1)
        {
            failures.Add("MaxConcurrentHandlersPerSocket must be at least 1 (1 runs a socket's events one after another).");
        }

        if (options.ConnectionStateRecovery is { Enabled: true } recovery)
        {
            if (recovery.MaxDisconnectionDuration <= TimeSpan.Zero)
            {
                failures.Add("ConnectionStateRecovery:MaxDisconnectionDuration must be positive.");
            }

            if (recovery.MaxRetainedPackets < 1 || recovery.MaxRetainedBytes < 1 || recovery.MaxSessions < 1)
            {
                failures.Add("ConnectionStateRecovery:MaxRetainedPackets, MaxRetainedBytes and MaxSessions must be at least 1.");
            }
        }

        failures.AddRange(AdminUIOptionsValidator.Check(options.AdminUI, options.SectionName + ":AdminUI"));
        return EngineIOOptionsValidator.Result(failures);
    }
}
