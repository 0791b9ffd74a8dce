using System.Diagnostics;
using System.Net.Http.Json;
using OpenChat.SocketIO.Tests.Clients;

namespace OpenChat.SocketIO.Tests.Samples;

/// <summary>
/// The library as a developer adopts it: packed, then referenced as a package by samples/QuickStart (a
/// <c>dotnet new web</c> app), built on its own and driven by the official Node client.
/// </summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task The_quick_start_sample_runs_on_the_packed_package_with_the_official_client()
    {
        using var work = new TempFolder();
        var feed = Directory.CreateDirectory(Path.Combine(work.Path, "feed")).FullName;
        var version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        await DotNetCli.RunAsync(
            ["pack", Path.Combine(RepositoryPaths.Root, "src", "OpenChat.SocketIO"), "-c", "Release", "-o", feed, "-p:Version=" + version],
            RepositoryPaths.Root);
        AssertPackageIsComplete(feed, version);
        AddDependenciesToFeed(feed, version);

        // Outside the repository, with a package cache of its own and the feed as its only source: nothing
        // of the project can leak into the sample's build.
        var sample = Path.Combine(work.Path, "QuickStart");
        CopyFolder(Path.Combine(RepositoryPaths.Root, "samples", "QuickStart"), sample);
        var output = Path.Combine(work.Path, "out");
        await DotNetCli.RunAsync(
            ["build", sample, "-c", "Release", "-o", output, "-p:OpenChatSocketIOVersion=" + version, "-p:RestoreSources=" + feed],
            sample,
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work.Path, "packages") });

        var port = FreePort.Find();
        using var app = StartSample(output, port);
        var url = $"http://127.0.0.1:{port}/";
        await WaitUntilListeningAsync(url);

        await using var node = NodeScript.Start("puppet.js", new
        {
            url,
            transports = "polling,websocket",
            clients = new { a = new { }, b = new { }, chat = new { @namespace = "/chat" } },
        });
        var connected = await node.CollectUntilAsync(
            lines => lines.Count(l => NodeScript.Is(l, "connect")) == 3 && lines.Count(l => IsReceived(l, "welcome")) == 2,
            "three clients connected and two welcomed");
        var welcomeA = connected.Single(l => IsReceived(l, "welcome") && l.GetProperty("client").GetString() == "a");
        var connectA = connected.Single(l => NodeScript.Is(l, "connect") && l.GetProperty("client").GetString() == "a");
        Assert.Equal(connectA.GetProperty("id").GetString(), welcomeA.GetProperty("args")[0].GetString());
        foreach (var client in new[] { "a", "b" })
        {
            await node.SendAsync(new { cmd = "emit", client, name = "join", args = new[] { "lobby" }, ack = true });
            var joined = await node.WaitForAsync("ack", l => l.GetProperty("client").GetString() == client);
            Assert.Equal("lobby", joined.GetProperty("args")[0].GetProperty("joined").GetString());
        }

        await node.SendAsync(new { cmd = "emit", client = "a", name = "say", args = new[] { "lobby", "hello" } });
        var said = await node.WaitForAsync("received", l => l.GetProperty("name").GetString() == "said");
        Assert.Equal("b", said.GetProperty("client").GetString());
        Assert.Equal("hello", said.GetProperty("args")[0].GetProperty("text").GetString());

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var posted = await http.PostAsJsonAsync("/announce", new { text = "to everyone" }).WithTimeout();
        Assert.Equal(System.Net.HttpStatusCode.Accepted, posted.StatusCode);
        var announced = await node.CollectUntilAsync(
            lines => lines.Count(l => NodeScript.Is(l, "received") && l.GetProperty("name").GetString() == "announcement") == 2,
            "the announcement on both clients");
        Assert.All(
            announced.Where(l => NodeScript.Is(l, "received") && l.GetProperty("name").GetString() == "announcement"),
            l => Assert.Equal("to everyone", l.GetProperty("args")[0].GetString()));

        // The handler class on /chat: typed arguments, a default, the return value as the acknowledgement,
        // and (AcknowledgeHandlerErrors from the sample's appsettings.json) an argument of the wrong type told back.
        Assert.Equal("""[{"number":1,"text":"hello","priority":2}]""", await AskAsync(node, "sendMessage", "hello", 2));
        Assert.Equal("""[{"number":2,"text":"again","priority":0}]""", await AskAsync(node, "sendMessage", "again"));
        Assert.Equal("""[{"error":"Argument 0 (a number, 42) cannot be read as String."}]""", await AskAsync(node, "sendMessage", 42));
    }

    private static async Task<string> AskAsync(NodeScript node, string name, params object[] args)
    {
        await node.SendAsync(new { cmd = "emit", client = "chat", name, args, ack = true });
        var ack = await node.WaitForAsync("ack", l => l.GetProperty("client").GetString() == "chat");
        return ack.GetProperty("args").GetRawText();
    }

    private static bool IsReceived(System.Text.Json.JsonElement line, string name) =>
        NodeScript.Is(line, "received") && line.GetProperty("name").GetString() == name;

    /// <summary>What a package on nuget.org needs: license, readme, symbols, and the commit it was built from.</summary>
    private static void AssertPackageIsComplete(string feed, string version)
    {
        using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"OpenChat.SocketIO.{version}.nupkg"));
        Assert.NotNull(package.GetEntry("README.md"));
        Assert.NotNull(package.GetEntry("LICENSE"));
        Assert.NotNull(package.GetEntry("lib/net10.0/OpenChat.SocketIO.dll"));
        Assert.NotNull(package.GetEntry("lib/net10.0/OpenChat.SocketIO.xml"));
        using var reader = new StreamReader(package.GetEntry("OpenChat.SocketIO.nuspec")!.Open());
        var nuspec = System.Xml.Linq.XDocument.Parse(reader.ReadToEnd());
        var ns = nuspec.Root!.GetDefaultNamespace();
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
        var repository = metadata.Element(ns + "repository")!;
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? string.Empty);
        Assert.True(File.Exists(Path.Combine(feed, $"OpenChat.SocketIO.{version}.snupkg")), "no symbol package");
    }

    /// <summary>
    /// The package's own dependencies from the registry (BCrypt.Net-Next, for the admin UI's logins), copied from
    /// the machine's package cache into the feed, so the sample restores as it would from nuget.org.
    /// </summary>
    private static void AddDependenciesToFeed(string feed, string version)
    {
        using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"OpenChat.SocketIO.{version}.nupkg"));
        using var reader = new StreamReader(package.GetEntry("OpenChat.SocketIO.nuspec")!.Open());
        var nuspec = System.Xml.Linq.XDocument.Parse(reader.ReadToEnd());
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var dependency in nuspec.Descendants().Where(e => e.Name.LocalName == "dependency"))
        {
            var id = dependency.Attribute("id")!.Value.ToLowerInvariant();
            var dependencyVersion = dependency.Attribute("version")!.Value.Trim('[', ']', '(', ')', ' ').Split(',')[0];
            var nupkg = Path.Combine(cache, id, dependencyVersion, $"{id}.{dependencyVersion}.nupkg");
            Assert.True(File.Exists(nupkg), $"the dependency {id} {dependencyVersion} is not in the package cache ({nupkg})");
            File.Copy(nupkg, Path.Combine(feed, Path.GetFileName(nupkg)), overwrite: true);
        }
    }

    /// <summary>Runs the built sample from its output folder, its content root, so it reads its appsettings.json.</summary>
    private static RunningSample StartSample(string output, int port)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = output };
        start.ArgumentList.Add(Path.Combine(output, "QuickStart.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunningSample(process);
    }

    private static async Task WaitUntilListeningAsync(string url)
    {
        using var http = new HttpClient();
        using var limit = new CancellationTokenSource(TaskTimeouts.Default);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url + "socket.io/?EIO=4&transport=polling", limit.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50, limit.Token);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    /// <summary>The sample's process, killed when the test ends however it ends.</summary>
    private sealed class RunningSample(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It had exited already.
            }

            process.Dispose();
        }
    }
}
