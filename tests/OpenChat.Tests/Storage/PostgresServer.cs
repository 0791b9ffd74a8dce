using System.Diagnostics;
using Npgsql;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Storage;

/// <summary>
/// A real PostgreSQL server (Debian's, version 15 when there are several) of the tests' own: a fresh cluster
/// in a temp folder on a free loopback port, started once for the collection and stopped after. PostgreSQL
/// refuses to run as root, so as root it runs as the <c>postgres</c> user, which owns the folder.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private string? _folder;
    private string? _bin;
    private int _databases;

    public int Port { get; private set; }

    /// <summary>The <c>postgres</c> database of the server.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        _folder = Directory.CreateTempSubdirectory("openchat-pg-").FullName;
        if (IsRoot)
        {
            await RunAsync("chown", "postgres", _folder);
        }

        Port = FreePort.Find();
        await RunAsPostgresAsync(Path.Combine(_bin, "initdb"), "-D", Data, "-A", "trust", "-U", "postgres", "--no-sync");
        await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off", "-l", Path.Combine(_folder, "log"), "-w", "start");
    }

    /// <summary>A new, empty database on the server; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"chat_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync().WithTimeout();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync().WithTimeout();
        }

        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    /// <summary>Stops the server (e.g. to see what the app does without it); <see cref="StartAsync"/> brings it back on the same port.</summary>
    public Task StopAsync() => RunAsPostgresAsync(Path.Combine(_bin!, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop");

    public Task StartAsync() =>
        RunAsPostgresAsync(Path.Combine(_bin!, "pg_ctl"), "-D", Data, "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off", "-l", Path.Combine(_folder!, "log"), "-w", "start");

    public async Task DisposeAsync()
    {
        if (_folder is null)
        {
            return;
        }

        try
        {
            NpgsqlConnection.ClearAllPools();
            await RunAsPostgresAsync(Path.Combine(_bin!, "pg_ctl"), "-D", Data, "-m", "fast", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped (a test stopped it): nothing to do.
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private string Data => Path.Combine(_folder!, "data");

    private static string FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var bin = versions.Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderBy(b => b.Contains("/15/", StringComparison.Ordinal) ? 0 : 1).FirstOrDefault();
        return bin ?? throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); ./test.sh installs it with apt-get.");
    }

    private Task RunAsPostgresAsync(string program, params string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }
}
