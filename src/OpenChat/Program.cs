using OpenChat;
using OpenChat.Storage;

try
{
    OpenChatApp.Build(args).Run();
    return 0;
}
catch (ChatStoreException e)
{
    // Already logged; said once more, plainly, where an operator starting the app by hand looks.
    Console.Error.WriteLine($"OpenChat cannot start: {e.Message}");
    return 1;
}

/// <summary>The entry point; public so tests can reach the app's assembly.</summary>
public partial class Program;
