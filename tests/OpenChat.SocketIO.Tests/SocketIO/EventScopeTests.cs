using System.Collections.Concurrent;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>A DI scope per event (<see cref="EventContext.Services"/>), and the server itself from DI anywhere.</summary>
public sealed class EventScopeTests
{
    [Fact]
    public async Task Each_event_has_a_scope_of_its_own_shared_by_its_handlers_and_disposed_once_they_returned()
    {
        var seen = new ConcurrentQueue<(string Event, UnitOfWork Work, bool DisposedThen)>();
        var disposed = new ConcurrentQueue<UnitOfWork>();
        await using var host = await TestHost.StartAsync(
            handlers: io => io.On("connection", socket =>
            {
                socket.OnAny(ctx =>
                {
                    var work = ctx.Services.GetRequiredService<UnitOfWork>();
                    seen.Enqueue(("any " + ctx.EventName, work, work.Disposed));
                });
                socket.On("save", async ctx =>
                {
                    await Task.Yield();
                    var work = ctx.Services.GetRequiredService<UnitOfWork>();
                    seen.Enqueue((ctx.EventName, work, work.Disposed));
                    ctx.Ack();
                });
            }),
            services: s => s.AddScoped(_ => new UnitOfWork(disposed)));
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "websocket", clients = new { a = new { } } });
        await node.WaitForAsync("connect");

        for (var i = 0; i < 2; i++)
        {
            await node.SendAsync(new { cmd = "emit", client = "a", name = "save", ack = true });
            await node.WaitForAsync("ack");
        }

        await host.WaitUntilAsync(() => disposed.Count == 2);
        var entries = seen.ToArray();
        Assert.Equal(["any save", "save", "any save", "save"], entries.Select(e => e.Event).ToArray());
        Assert.Same(entries[0].Work, entries[1].Work);
        Assert.Same(entries[2].Work, entries[3].Work);
        Assert.NotSame(entries[0].Work, entries[2].Work);
        Assert.All(entries, e => Assert.False(e.DisposedThen));
        Assert.Equal([entries[0].Work, entries[2].Work], disposed.ToArray());
    }

    [Fact]
    public async Task The_server_is_a_singleton_any_endpoint_or_service_can_take_to_reach_clients()
    {
        await using var host = await TestHost.StartAsync(
            handlers: io => io.On("connection", socket => socket.Join("watchers")),
            mapMore: app => app.MapPost("/alerts", (SocketIOServer io, Notifier notifier) =>
            {
                io.To("watchers").Emit("alert", "from an endpoint");
                notifier.Notify("from a service");
                return Microsoft.AspNetCore.Http.Results.NoContent();
            }),
            services: s => s.AddSingleton<Notifier>());
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "websocket", clients = new { a = new { } } });
        await node.WaitForAsync("connect");
        Assert.Same(host.IO, host.Services.GetRequiredService<Notifier>().Server);

        using var http = new HttpClient();
        using var posted = await http.PostAsync(new Uri(host.BaseUri, "/alerts"), null);

        var alerts = await node.CollectUntilAsync(lines => lines.Count(l => NodeScript.Is(l, "received")) == 2, "both alerts");
        Assert.Equal(["from an endpoint", "from a service"], alerts.Where(l => NodeScript.Is(l, "received")).Select(l => l.GetProperty("args")[0].GetString()!).ToArray());
    }

    public sealed class UnitOfWork(ConcurrentQueue<UnitOfWork> disposed) : IAsyncDisposable
    {
        public bool Disposed { get; private set; }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            disposed.Enqueue(this);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>An application service that takes the server by constructor injection, as SignalR's IHubContext is taken.</summary>
    public sealed class Notifier(SocketIOServer io)
    {
        public SocketIOServer Server => io;

        public void Notify(string text) => io.Emit("alert", text);
    }
}
