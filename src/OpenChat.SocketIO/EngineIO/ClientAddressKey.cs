using System.Net;
using System.Net.Sockets;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// The unit per-address limits count by: an IPv4 address, or the /64 network of an IPv6 address (one
/// subscriber usually holds a whole /64, so counting single IPv6 addresses would limit nothing).
/// </summary>
internal static class ClientAddressKey
{
    public static IPAddress For(IPAddress? address)
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

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
