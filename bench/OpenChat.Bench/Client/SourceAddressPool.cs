using System.Net;
using System.Net.Sockets;

namespace OpenChat.Bench.Client;

/// <summary>
/// Spreads client connections over several loopback source addresses (127.0.0.1, 127.0.0.2, ...), each with
/// its own range of ephemeral ports, so tens of thousands of connections do not exhaust one address.
/// </summary>
public sealed class SourceAddressPool : IDisposable
{
    private readonly SocketsHttpHandler[] _handlers;
    private readonly HttpMessageInvoker[] _invokers;
    private readonly HttpClient[] _httpClients;

    public SourceAddressPool(Uri server, int addressCount)
    {
        if (!IPAddress.TryParse(server.Host, out var host) || !IPAddress.IsLoopback(host))
        {
            throw new ArgumentException($"The load generator only targets loopback addresses, not {server.Host}.", nameof(server));
        }

        // Extra source addresses only make sense towards IPv4 loopback.
        var count = host.AddressFamily == AddressFamily.InterNetwork ? Math.Clamp(addressCount, 1, 250) : 1;
        _handlers = new SocketsHttpHandler[count];
        _invokers = new HttpMessageInvoker[count];
        _httpClients = new HttpClient[count];
        for (var i = 0; i < count; i++)
        {
            var source = count == 1 ? null : new IPAddress([127, 0, 0, (byte)(i + 1)]);
            _handlers[i] = CreateHandler(source);
            _invokers[i] = new HttpMessageInvoker(_handlers[i], disposeHandler: false);
            _httpClients[i] = new HttpClient(_handlers[i], disposeHandler: false) { Timeout = TimeSpan.FromSeconds(90) };
        }
    }

    public int Count => _handlers.Length;

    /// <summary>The invoker for WebSocket upgrades of client <paramref name="clientIndex"/>.</summary>
    public HttpMessageInvoker InvokerFor(int clientIndex) => _invokers[clientIndex % _invokers.Length];

    /// <summary>The HTTP client for long-polling requests of client <paramref name="clientIndex"/>.</summary>
    public HttpClient HttpClientFor(int clientIndex) => _httpClients[clientIndex % _httpClients.Length];

    public void Dispose()
    {
        foreach (var client in _httpClients)
        {
            client.Dispose();
        }

        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }

        foreach (var handler in _handlers)
        {
            handler.Dispose();
        }
    }

    private static SocketsHttpHandler CreateHandler(IPAddress? source) => new()
    {
        UseCookies = false,
        UseProxy = false,
        AllowAutoRedirect = false,
        // As browsers do: long-polling servers may then compress large payloads.
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = int.MaxValue,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (source is not null)
                {
                    socket.Bind(new IPEndPoint(source, 0));
                }

                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
