using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace OpenChat.Chat;

/// <summary>
/// The chat-message budget of one client address, shared by all its connections, beside each connection's
/// own (<see cref="MessageRateLimiter"/>): opening more connections does not buy more messages. IPv6
/// addresses count by their /64 network. The address is the one the handshake recorded
/// (<c>HttpContext.Connection.RemoteIpAddress</c>, after forwarded headers when they are set up). Buckets
/// that refilled are dropped once a minute, so memory follows the addresses active in the last minute.
/// </summary>
public sealed class AddressRateLimiter
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<IPAddress, MessageRateLimiter> _buckets = new();
    private readonly ChatOptions _options;
    private readonly TimeProvider _time;
    private long _lastSweep;

    public AddressRateLimiter(IOptions<ChatOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>Addresses with a bucket (for tests).</summary>
    public int TrackedAddresses => _buckets.Count;

    public bool TryTake(IPAddress? address)
    {
        if (_options.MessagesPerSecondPerIp <= 0)
        {
            return true;
        }

        SweepIfDue();
        var bucket = _buckets.GetOrAdd(Key(address), static (_, self) => new MessageRateLimiter(self._options.MessagesPerSecondPerIp, self._options.MessageBurstPerIp, self._time), this);
        return bucket.TryTake();
    }

    /// <summary>An IPv4 address, or the /64 network of an IPv6 one (a subscriber usually holds a whole /64).</summary>
    internal static IPAddress Key(IPAddress? address)
    {
        if (address is null)
        {
            return IPAddress.None;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    private void SweepIfDue()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastSweep);
        if (_time.GetElapsedTime(last, now) < SweepEvery || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (address, bucket) in _buckets)
        {
            if (bucket.IsFull)
            {
                _buckets.TryRemove(new KeyValuePair<IPAddress, MessageRateLimiter>(address, bucket));
            }
        }
    }
}
