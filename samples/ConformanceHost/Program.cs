using ConformanceHost;

// Usage: dotnet run --project samples/ConformanceHost -- [port] [--parser=msgpack]   (default port 3000, JSON parser)
var port = args.Length > 0 && int.TryParse(args[0], out var p) ? p : 3000;
var app = ConformanceApp.Build(args.Length > 0 && int.TryParse(args[0], out _) ? args[1..] : args, port);
app.Run();
