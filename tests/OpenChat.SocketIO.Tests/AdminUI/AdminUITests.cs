using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.AdminUI;

/// <summary>
/// The admin namespace against its reference: the same Admin UI client scenario (socket.io-client, as the UI
/// connects) runs against the Node server instrumented by @socket.io/admin-ui 0.5.1 and against ours, both
/// running the same application, and what the UI reads must have the same shape and the same values.
/// </summary>
public sealed class AdminUITests
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task Every_event_the_UI_reads_has_the_shape_and_values_the_Node_admin_server_sends()
    {
        var (node, nodeUrl) = await AdminWitness.StartNodeAsync(new { });
        await using var nodeServer = node;
        await using var host = await AdminWitness.StartHostAsync(a => a.Auth = false);

        var expected = await AdminWitness.ObserveAsync(nodeUrl);
        var actual = await AdminWitness.ObserveAsync(host.BaseUri);

        var theirs = AdminWitness.UserId(expected);
        var ours = AdminWitness.UserId(actual);
        Func<JsonElement, bool> Of(string id) => a => a.EnumerateArray().Any(x => x.ValueKind == JsonValueKind.String ? x.GetString() == id : x.ValueKind == JsonValueKind.Object && x.TryGetProperty("id", out var i) && i.GetString() == id);
        // Node also sends socket_updated with the data a middleware set, just before socket_connected carries it
        // anyway; the update the UI needs is the transport's.
        Func<JsonElement, bool> Match(string name, string id) => name switch
        {
            "config" or "all_sockets" or "server_stats" => _ => true,
            "socket_updated" => a => Of(id)(a) && a[0].TryGetProperty("transport", out var transport),
            _ => Of(id),
        };
        foreach (var name in new[] { "config", "all_sockets", "socket_connected", "room_joined", "room_left", "socket_updated", "event_received", "event_sent", "socket_disconnected", "server_stats" })
        {
            var them = AdminWitness.Event(expected, name, Match(name, theirs));
            var us = AdminWitness.Event(actual, name, Match(name, ours));
            Assert.True(AdminWitness.Shape(them) == AdminWitness.Shape(us), $"{name}:\n  Node: {them}\n  ours: {us}");
        }

        Assert.Equal(AdminWitness.Event(expected, "config").GetRawText(), AdminWitness.Event(actual, "config").GetRawText());
        var connected = AdminWitness.Event(actual, "socket_connected", Of(ours))[0];
        Assert.Equal("/", connected.GetProperty("nsp").GetString());
        Assert.Equal("""{"name":"alice"}""", connected.GetProperty("data").GetRawText());
        Assert.Equal("polling", connected.GetProperty("transport").GetString());
        Assert.Equal(12, connected.GetProperty("clientId").GetString()!.Length);
        Assert.Contains(ours, connected.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("websocket", AdminWitness.Event(actual, "socket_updated", Of(ours))[0].GetProperty("transport").GetString());
        Assert.Equal("""["hello","hi",{"n":1}]""", AdminWitness.Event(actual, "event_received", Of(ours))[2].GetRawText());
        Assert.Equal("""["welcome","hi",{"n":1}]""", AdminWitness.Event(actual, "event_sent", Of(ours))[2].GetRawText());
        Assert.Equal(DisconnectReasons.ServerNamespaceDisconnect, AdminWitness.Event(actual, "socket_disconnected", Of(ours))[2].GetString());
        Assert.Equal("""["from the operator",{"level":2}]""", actual.Single(l => l.GetProperty("event").GetString() == "notice").GetProperty("args").GetRawText());
        Assert.Equal(
            expected.Single(l => l.GetProperty("event").GetString() == "notice").GetProperty("args").GetRawText(),
            actual.Single(l => l.GetProperty("event").GetString() == "notice").GetProperty("args").GetRawText());
        Assert.Equal(
            expected.Single(l => l.GetProperty("event").GetString() == "user-disconnect").GetProperty("reason").GetString(),
            actual.Single(l => l.GetProperty("event").GetString() == "user-disconnect").GetProperty("reason").GetString());
        var aggregated = actual.Where(l => l.GetProperty("event").GetString() == "admin" && l.GetProperty("name").GetString() == "server_stats")
            .SelectMany(l => l.GetProperty("args")[0].GetProperty("aggregatedEvents").EnumerateArray()).ToList();
        Assert.All(aggregated, e =>
        {
            Assert.Equal(0, e.GetProperty("timestamp").GetInt64() % 1000);
            Assert.True(e.GetProperty("count").GetInt64() > 0);
        });
        Assert.Superset(new HashSet<string> { "rawConnection", "packetsIn", "packetsOut", "bytesIn", "bytesOut" }, aggregated.Select(e => e.GetProperty("type").GetString()!).ToHashSet());
        var stats = AdminWitness.Event(actual, "server_stats")[0];
        Assert.Equal("witness", stats.GetProperty("serverId").GetString());
        Assert.Contains(stats.GetProperty("namespaces").EnumerateArray(), n => n.GetProperty("name").GetString() == "/admin" && n.GetProperty("socketsCount").GetInt32() == 1);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_as_Node_refuses_it_and_the_right_one_gets_a_session()
    {
        var hash = BCrypt.Net.BCrypt.HashPassword(Password, 4);
        var (node, nodeUrl) = await AdminWitness.StartNodeAsync(new { auth = new { username = "ops", passwordHash = hash } });
        await using var nodeServer = node;
        await using var host = await AdminWitness.StartHostAsync(a =>
        {
            a.Auth = true;
            a.Username = "ops";
            a.PasswordHash = hash;
        });

        foreach (var url in new[] { nodeUrl, host.BaseUri })
        {
            var refused = await AdminWitness.ObserveAsync(url, new { username = "ops", password = "wrong" });
            Assert.Equal("invalid credentials", refused.Single(l => l.GetProperty("event").GetString() == "connect_error").GetProperty("message").GetString());

            var admitted = await AdminWitness.ObserveAsync(url, new { username = "ops", password = Password });
            Assert.Matches("^[0-9a-f]{16}$", AdminWitness.Event(admitted, "session")[0].GetString());
            Assert.Contains(admitted, l => l.GetProperty("event").GetString() == "done");
        }
    }

    [Fact]
    public async Task A_read_only_admin_namespace_offers_no_action_to_the_UI()
    {
        await using var host = await AdminWitness.StartHostAsync(a =>
        {
            a.Auth = false;
            a.ReadOnly = true;
        });
        var (node, nodeUrl) = await AdminWitness.StartNodeAsync(new { @readonly = true });
        await using var nodeServer = node;

        var ours = await ConfigAsync(host.BaseUri);

        Assert.Equal(await ConfigAsync(nodeUrl), ours);
        Assert.Equal("""{"supportedFeatures":["AGGREGATED_EVENTS","ALL_EVENTS"]}""", ours);
    }

    [Fact]
    public async Task In_production_mode_the_UI_gets_the_statistics_and_the_actions_but_no_socket_list()
    {
        await using var host = await AdminWitness.StartHostAsync(a =>
        {
            a.Auth = false;
            a.Mode = AdminUIMode.Production;
            a.StatsInterval = TimeSpan.FromMilliseconds(50);
        });
        await using var observer = Clients.NodeScript.StartWitness("admin-observer.js", new { url = host.BaseUri.ToString() });

        var config = await observer.WaitForAsync("admin", l => l.GetProperty("name").GetString() == "config");
        await observer.WaitForAsync("admin", l => l.GetProperty("name").GetString() == "server_stats");

        Assert.Equal("""{"supportedFeatures":["EMIT","JOIN","LEAVE","DISCONNECT","MJOIN","MLEAVE","MDISCONNECT","AGGREGATED_EVENTS"]}""", config.GetProperty("args")[0].GetRawText());
        Assert.DoesNotContain(observer.History, l => l.TryGetProperty("name", out var name) && name.GetString() is "all_sockets" or "socket_connected" or "room_joined");
    }

    [Theory]
    [InlineData(null, null, null, "SocketIO:AdminUI:Auth must be set")]
    [InlineData(true, null, "$2b$10$abcdefghijklmnopqrstuu5sTl1HZfNb9m2J3jJr6f3s9yMxpiKlLa", "SocketIO:AdminUI:Username is required")]
    [InlineData(true, "ops", "not-a-hash", "SocketIO:AdminUI:PasswordHash must be a bcrypt hash")]
    public async Task An_enabled_admin_namespace_without_a_clear_login_setting_stops_the_host_from_starting(bool? auth, string? username, string? hash, string message)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(o =>
        {
            o.SectionName = "SocketIO";
            o.AdminUI.Enabled = true;
            o.AdminUI.Auth = auth;
            o.AdminUI.Username = username;
            o.AdminUI.PasswordHash = hash;
        }));

        Assert.Contains(message, failure.Message);
    }

    private static async Task<string> ConfigAsync(Uri url)
    {
        await using var observer = Clients.NodeScript.StartWitness("admin-observer.js", new { url = url.ToString() });
        var line = await observer.WaitForAsync("admin", l => l.GetProperty("name").GetString() == "config");
        return line.GetProperty("args")[0].GetRawText();
    }
}
