using System.Collections.Concurrent;
using System.Text.Json;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO.Hubs;

/// <summary>Handler classes: one instance per event from the event's scope, typed parameters, the return value as the acknowledgement.</summary>
public sealed class HubTests
{
    [Fact]
    public async Task Each_event_gets_a_new_hub_from_its_own_scope_with_typed_arguments_and_its_result_as_the_acknowledgement()
    {
        var journal = new Journal();
        await using var host = await TestHost.StartAsync(
            handlers: io => io.Of("/chat").MapHub<ChatHub>(),
            services: s => s.AddSingleton(journal).AddScoped<Basket>());
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "websocket", clients = new { a = new { @namespace = "/chat" } } });
        var welcome = await node.WaitForAsync("received", l => l.GetProperty("name").GetString() == "welcome");
        Assert.Equal("/chat", welcome.GetProperty("args")[0].GetString());

        Assert.Equal("""[{"total":5,"items":["apple","pear"]}]""", await AskAsync(node, "addItems", new object[] { 2, 3, new[] { "apple", "pear" } }));
        Assert.Equal("""["echo: hi"]""", await AskAsync(node, "echo", new object[] { "hi" }));
        Assert.Equal("""["chat message: hello"]""", await AskAsync(node, "chat message", new object[] { "hello" }));
        Assert.Equal("[]", await AskAsync(node, "join", new object[] { "lobby" }));
        Assert.Equal("""["x","y"]""", await AskAsync(node, "manual", []));
        Assert.Equal("""[10]""", await AskAsync(node, "page", []));
        Assert.Equal("""[3]""", await AskAsync(node, "page", new object[] { 3 }));

        // One hub and one scope per event, each disposed once its event is handled.
        Assert.Equal(journal.Hubs.Count, journal.HubsDisposed.Count);
        Assert.Equal(journal.Baskets.Count, journal.BasketsDisposed.Count);
        Assert.Equal(journal.Hubs.Count, journal.Hubs.Distinct().Count());
        Assert.True(journal.Hubs.Count >= 8);

        await node.SendAsync(new { cmd = "disconnect", client = "a" });
        Assert.Equal(DisconnectReasons.ClientNamespaceDisconnect, await journal.Disconnected.Task.WithTimeout());
    }

    [Fact]
    public async Task A_hub_whose_arguments_do_not_convert_answers_with_the_error_when_errors_are_acknowledged()
    {
        var journal = new Journal();
        await using var host = await TestHost.StartAsync(
            configure: o => o.AcknowledgeHandlerErrors = true,
            handlers: io => io.MapHub<ChatHub>(),
            services: s => s.AddSingleton(journal).AddScoped<Basket>());
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "websocket", clients = new { a = new { } } });
        await node.WaitForAsync("connect");

        var answer = await AskAsync(node, "addItems", new object[] { "two", 3, Array.Empty<string>() });

        Assert.Equal("""[{"error":"Argument 0 (a string, \"two\") cannot be read as Int32."}]""", answer);
    }

    [Fact]
    public void A_class_that_cannot_be_a_hub_is_refused_when_it_is_mapped_with_the_reason()
    {
        Assert.Contains("two methods for the event \"send\"", Refusal<OverloadedHub>(), StringComparison.Ordinal);
        Assert.Contains("reserved event", Refusal<ReservedHub>(), StringComparison.Ordinal);
        Assert.Contains("returns IAsyncEnumerable", Refusal<StreamingHub>(), StringComparison.Ordinal);
        Assert.Equal(["sendMessage", "ping", "chat message"], HubDescriptor.For(typeof(NamingHub)).Events);
    }

    private static string Refusal<THub>() => Assert.Throws<InvalidOperationException>(() => HubDescriptor.For(typeof(THub))).Message;

    private static async Task<string> AskAsync(NodeScript node, string name, object[] args)
    {
        await node.SendAsync(new { cmd = "emit", client = "a", name, args, ack = true });
        return (await node.WaitForAsync("ack", l => l.GetProperty("name").GetString() == name)).GetProperty("args").GetRawText();
    }

    public sealed class Journal
    {
        public ConcurrentQueue<ChatHub> Hubs { get; } = new();

        public ConcurrentQueue<ChatHub> HubsDisposed { get; } = new();

        public ConcurrentQueue<Basket> Baskets { get; } = new();

        public ConcurrentQueue<Basket> BasketsDisposed { get; } = new();

        public TaskCompletionSource<string> Disconnected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A scoped service: one per event.</summary>
    public sealed class Basket : IDisposable
    {
        private readonly Journal _journal;

        public Basket(Journal journal)
        {
            _journal = journal;
            journal.Baskets.Enqueue(this);
        }

        public List<string> Items { get; } = new();

        public void Dispose() => _journal.BasketsDisposed.Enqueue(this);
    }

    public sealed record BasketTotal(int Total, IReadOnlyList<string> Items);

    public sealed class ChatHub : SocketIOHub, IDisposable
    {
        private readonly Basket _basket;
        private readonly Journal _journal;

        public ChatHub(Basket basket, Journal journal)
        {
            _basket = basket;
            _journal = journal;
            journal.Hubs.Enqueue(this);
        }

        public override ValueTask OnConnectedAsync()
        {
            Socket.Emit("welcome", Namespace.Name);
            return ValueTask.CompletedTask;
        }

        public override ValueTask OnDisconnectedAsync(string reason)
        {
            _journal.Disconnected.TrySetResult(reason);
            return ValueTask.CompletedTask;
        }

        public async Task<BasketTotal> AddItemsAsync(int first, int second, string[] items, CancellationToken cancellationToken)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            _basket.Items.AddRange(items);
            return new BasketTotal(first + second, _basket.Items);
        }

        public string Echo(string text) => "echo: " + text;

        [SocketIOEvent("chat message")]
        public ValueTask<string> ChatMessage(string text) => ValueTask.FromResult("chat message: " + text);

        public void Join(string room) => Socket.Join(room);

        public void Manual() => Event.Ack("x", "y");

        public int Page(int size = 10) => size;

        public void Dispose() => _journal.HubsDisposed.Enqueue(this);
    }

    public sealed class OverloadedHub : SocketIOHub
    {
        public void Send(string text) => _ = text;

        public void Send(int number) => _ = number;
    }

    public sealed class ReservedHub : SocketIOHub
    {
        public void Disconnect() => Socket.Disconnect();
    }

    public sealed class StreamingHub : SocketIOHub
    {
        public async IAsyncEnumerable<int> Count()
        {
            await Task.Yield();
            yield return 1;
        }
    }

    public sealed class NamingHub : SocketIOHub
    {
        public Task SendMessageAsync(string text) => Task.CompletedTask;

        public void Ping()
        {
        }

        [SocketIOEvent("chat message")]
        public void Chat(JsonElement message) => _ = message;
    }
}
