using OpenChat;

OpenChatApp.Build(args).Run();

/// <summary>The entry point; public so tests can reach the app's assembly.</summary>
public partial class Program;
