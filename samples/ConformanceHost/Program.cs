using ConformanceHost;

// Usage: dotnet run --project samples/ConformanceHost -- [port]   (default 3000)
var port = args.Length > 0 && int.TryParse(args[0], out var p) ? p : 3000;
var app = ConformanceApp.Build(args.Skip(1).ToArray(), port);
app.Run();
