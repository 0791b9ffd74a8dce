using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OpenChat.SocketIO.Redis;

/// <summary>
/// The one Redis connection (a multiplexer: one interactive link for publishing, one for subscriptions) the
/// adapters of a server share. It starts connecting at once and, whatever happens, keeps retrying: a server
/// whose Redis is unreachable still serves its own clients. Commands fail fast while the link is down rather
/// than queue, so an outage costs no memory. Each outage is logged once when it starts and once when it ends.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly string _description;
    private readonly Lock _sync = new();
    private readonly HashSet<ConnectionType> _failed = new();
    private readonly TaskCompletionSource _firstConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task<ConnectionMultiplexer> _multiplexer;
    private DateTimeOffset? _downSince;

    public RedisConnection(IOptions<RedisAdapterOptions> options, ILoggerFactory loggerFactory)
    {
        _logger = loggerFactory.CreateLogger("OpenChat.SocketIO.Redis");
        var configuration = ConfigurationOptions.Parse(options.Value.Configuration ?? throw new InvalidOperationException("RedisAdapterOptions.Configuration is required."));
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy ??= new LinearRetry(1000);
        _description = configuration.ToString(includePassword: false);
        _multiplexer = ConnectAsync(configuration);
    }

    /// <summary>Both links (publish and subscribe) are down or one of them is.</summary>
    public event Action? Lost;

    /// <summary>Both links are up again after <see cref="Lost"/>.</summary>
    public event Action? Restored;

    /// <summary>The configuration, without password, as logged.</summary>
    public string Description => _description;

    /// <summary>Whether both links are up.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_sync)
            {
                return _downSince is null && _multiplexer.IsCompletedSuccessfully;
            }
        }
    }

    /// <summary>Completes the first time Redis answers.</summary>
    public Task FirstConnected => _firstConnected.Task;

    /// <summary>The multiplexer, once created (it exists, connected or not, after the first attempt).</summary>
    public Task<ConnectionMultiplexer> GetAsync() => _multiplexer;

    /// <summary>The multiplexer if it is connected now, else null.</summary>
    public ConnectionMultiplexer? Current => IsConnected ? _multiplexer.Result : null;

    public async ValueTask DisposeAsync()
    {
        try
        {
            var multiplexer = await _multiplexer;
            await multiplexer.CloseAsync(allowCommandsToComplete: true).WaitAsync(TimeSpan.FromSeconds(2));
            await multiplexer.DisposeAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Shutting down: nothing left to tell.
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration)
    {
        ConnectionMultiplexer multiplexer;
        try
        {
            multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or ArgumentException)
        {
            Log.Misconfigured(_logger, _description, ex.Message);
            throw;
        }

        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        lock (_sync)
        {
            if (!multiplexer.IsConnected)
            {
                _downSince = DateTimeOffset.UtcNow;
            }
        }

        if (multiplexer.IsConnected)
        {
            Log.Connected(_logger, _description);
            _firstConnected.TrySetResult();
        }
        else
        {
            Log.UnreachableAtStart(_logger, _description, multiplexer.GetStatus().Trim());
        }

        return multiplexer;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        bool first;
        lock (_sync)
        {
            _failed.Add(e.ConnectionType);
            first = _downSince is null;
            _downSince ??= DateTimeOffset.UtcNow;
        }

        if (first)
        {
            Log.Lost(_logger, _description, e.FailureType.ToString(), e.Exception?.Message ?? string.Empty);
            Lost?.Invoke();
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        TimeSpan? outage = null;
        var multiplexer = (ConnectionMultiplexer)sender!;
        lock (_sync)
        {
            _failed.Remove(e.ConnectionType);
            if (_failed.Count == 0 && _downSince is { } since && multiplexer.IsConnected)
            {
                outage = DateTimeOffset.UtcNow - since;
                _downSince = null;
            }
        }

        if (outage is null)
        {
            return;
        }

        if (_firstConnected.TrySetResult())
        {
            Log.Connected(_logger, _description);
        }
        else
        {
            Log.RestoredAfter(_logger, _description, outage.Value.TotalSeconds);
        }

        Restored?.Invoke();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Redis at {Configuration} is connected: this server shares its clients with the others on it.", EventName = "RedisConnected")]
        public static partial void Connected(ILogger logger, string configuration);

        [LoggerMessage(2, LogLevel.Warning, "Redis at {Configuration} is unreachable at start ({Status}). Starting anyway: this server serves its own clients only, and joins the others as soon as Redis answers (retrying every second).", EventName = "RedisUnreachableAtStart")]
        public static partial void UnreachableAtStart(ILogger logger, string configuration, string status);

        [LoggerMessage(3, LogLevel.Warning, "Lost Redis at {Configuration} ({Failure}: {Error}). Local delivery continues; messages to and from other servers are dropped until the link is back (retrying every second).", EventName = "RedisLost")]
        public static partial void Lost(ILogger logger, string configuration, string failure, string error);

        [LoggerMessage(4, LogLevel.Information, "Redis at {Configuration} is back after {Seconds:0.#} s: other servers are reachable again.", EventName = "RedisRestored")]
        public static partial void RestoredAfter(ILogger logger, string configuration, double seconds);

        [LoggerMessage(5, LogLevel.Error, "Redis configuration \"{Configuration}\" is not usable: {Error}", EventName = "RedisMisconfigured")]
        public static partial void Misconfigured(ILogger logger, string configuration, string error);
    }
}
