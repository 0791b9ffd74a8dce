using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OpenChat.Storage;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Storage;

/// <summary>The app's start with its store: created on first run, and stopped with a clear message when the database cannot be written.</summary>
public sealed class StorageHostTests
{
    [Fact]
    public async Task On_first_run_the_app_creates_its_database_in_the_data_folder_and_says_where()
    {
        using var folder = new TempFolder();
        var dataFolder = Path.Combine(folder.Path, "not-yet-there");
        await using var app = OpenChatProcess.Start(new Dictionary<string, string> { ["Storage__DataFolder"] = dataFolder, ["PORT"] = FreePortText() });

        var line = await app.WaitForLineAsync("Chat history is kept in the");

        Assert.Contains($"SQLite file {Path.Combine(dataFolder, "openchat.db")}", line);
        Assert.True(File.Exists(Path.Combine(dataFolder, "openchat.db")));
        await app.WaitForLineAsync("OpenChat is listening on");
    }

    [Fact]
    public async Task A_read_only_database_file_stops_the_app_at_start_with_a_message_naming_it()
    {
        using var folder = new TempFolder();
        var file = folder.File("openchat.db");
        await using (await StoreUnderTest.Sqlite(file).InitializedAsync())
        {
        }

        SqliteConnection.ClearAllPools();

        // The tests run as root, whom file permissions do not stop; the immutable attribute stops everyone.
        await Chattr("+i", file);
        try
        {
            await using var app = OpenChatProcess.Start(new Dictionary<string, string> { ["Storage__DataFolder"] = folder.Path, ["PORT"] = FreePortText() });

            var exitCode = await app.WaitForExitAsync();

            Assert.Equal(1, exitCode);
            Assert.Contains($"OpenChat cannot start: The chat database {file} is read-only", app.Stderr);
            Assert.DoesNotContain(app.Stdout, l => l.Contains("OpenChat is listening on", StringComparison.Ordinal));
        }
        finally
        {
            await Chattr("-i", file);
        }
    }

    [Fact]
    public async Task A_database_locked_by_another_program_stops_the_app_at_start_with_a_message_saying_so()
    {
        using var folder = new TempFolder();
        var file = folder.File("openchat.db");
        await using (await StoreUnderTest.Sqlite(file).InitializedAsync())
        {
        }

        await using var holder = await SqliteLock.HoldAsync(file);
        var refused = await Assert.ThrowsAsync<ChatStoreException>(() => ChatHost.StartInAsync(folder.Path, "--Storage:LockTimeout=00:00:01"));

        Assert.Equal(ChatStoreFailure.Locked, refused.Failure);
        Assert.Contains($"The chat database {file} is locked by another process", refused.Message);
    }

    [Fact]
    public async Task A_connection_string_that_is_neither_sqlite_nor_postgresql_stops_the_app_with_a_message_saying_what_is_expected()
    {
        var refused = await Assert.ThrowsAsync<ChatStoreException>(() => ChatHost.StartAsync(null, "--ConnectionStrings:Chat=Flavour=strawberry"));

        Assert.Contains("neither a SQLite connection string (Data Source=file.db) nor a PostgreSQL one", refused.Message);
    }

    private static string FreePortText() => OpenChat.Testing.FreePort.Find().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task Chattr(string flag, string file)
    {
        using var process = Process.Start(new ProcessStartInfo("chattr", [flag, file]) { RedirectStandardError = true }) ?? throw new InvalidOperationException("chattr did not start");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WithTimeout();
        Assert.True(process.ExitCode == 0, $"chattr {flag} {file} failed (the test needs a filesystem with the immutable attribute, such as ext4): {error}");
    }
}
