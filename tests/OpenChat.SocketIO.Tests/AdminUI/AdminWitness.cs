using System.Text.Json;
using System.Text.Json.Nodes;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.AdminUI;

/// <summary>
/// The two sides of the admin UI tests: the application of tests/node-cluster/scenarios/admin-server.js on the
/// .NET server, and the Admin UI's client (admin-observer.js) whose observations are compared as JSON shapes.
/// </summary>
internal static class AdminWitness
{
    /// <summary>The .NET server running the witness's application, with the admin namespace as configured.</summary>
    public static Task<TestHost> StartHostAsync(Action<AdminUIOptions> admin) => TestHost.StartAsync(
        o =>
        {
            o.AdminUI.Enabled = true;
            o.AdminUI.ServerId = "witness";
            admin(o.AdminUI);
        },
        io =>
        {
            io.Use(socket =>
            {
                socket.Data["name"] = socket.Handshake.GetAuthString("name");
                return ValueTask.CompletedTask;
            });
            io.On("connection", socket =>
            {
                socket.Join("general");
                socket.On("hello", ctx => ctx.Socket.Emit("welcome", ctx.Arguments));
            });
        });

    /// <summary>The Node reference server instrumented by @socket.io/admin-ui; returns once it listens.</summary>
    public static async Task<(NodeScript Server, Uri Url)> StartNodeAsync(object options)
    {
        var server = NodeScript.StartWitness("admin-server.js", options);
        var listening = await server.WaitForAsync("listening");
        return (server, new Uri($"http://127.0.0.1:{listening.GetProperty("port").GetInt32()}/"));
    }

    /// <summary>Runs the admin client's scenario against <paramref name="url"/> to its end.</summary>
    public static async Task<IReadOnlyList<JsonElement>> ObserveAsync(Uri url, object? auth = null)
    {
        await using var observer = NodeScript.StartWitness("admin-observer.js", new { url = url.ToString(), auth });
        return await observer.WaitForExitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>The arguments of the first admin event <paramref name="name"/> that matches.</summary>
    public static JsonElement Event(IReadOnlyList<JsonElement> lines, string name, Func<JsonElement, bool>? match = null) =>
        lines.Where(l => l.GetProperty("event").GetString() == "admin" && l.GetProperty("name").GetString() == name)
            .Select(l => l.GetProperty("args"))
            .First(a => match is null || match(a));

    public static string UserId(IReadOnlyList<JsonElement> lines) =>
        lines.Single(l => l.GetProperty("event").GetString() == "user").GetProperty("id").GetString()!;

    /// <summary>
    /// The JSON's shape: every value replaced by its type, objects with their keys, arrays by the distinct shapes
    /// of their items. Objects whose keys are the client's or machine's own (headers) keep only "object", and the
    /// aggregated events only "array".
    /// </summary>
    public static string Shape(JsonElement value) => Describe(value, null).ToJsonString();

    private static JsonNode Describe(JsonElement value, string? key) => value.ValueKind switch
    {
        JsonValueKind.Object when key is "headers" => "object",

        // Which kinds of aggregated events a given second holds depends on timing; the items are checked on their own.
        JsonValueKind.Array when key is "aggregatedEvents" => "array",
        JsonValueKind.Object => new JsonObject(value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Name, (JsonNode?)Describe(p.Value, p.Name)))),
        JsonValueKind.Array => new JsonArray([.. value.EnumerateArray().Select(v => Describe(v, null).ToJsonString()).Distinct().Order().Select(s => JsonNode.Parse(s))]),
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
