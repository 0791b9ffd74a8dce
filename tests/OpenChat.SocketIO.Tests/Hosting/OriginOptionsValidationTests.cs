using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Tests.Hosting;

/// <summary>Origin settings are checked when the host starts, and each message names the setting to change.</summary>
public sealed class OriginOptionsValidationTests
{
    private static string[] SocketIOFailures(params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());
        services.AddSocketIO();
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<SocketIOOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
    }

    [Theory]
    [InlineData("https://chat.example.com")]
    [InlineData("https://chat.example.com/")]
    [InlineData("http://127.0.0.1:8000")]
    [InlineData("capacitor://localhost")]
    public void An_origin_in_any_usual_spelling_is_accepted(string origin)
    {
        Assert.Empty(SocketIOFailures(("SocketIO:Cors:AllowedOrigins:0", origin), ("SocketIO:PublicOrigins:0", origin)));
    }

    [Theory]
    [InlineData("null", "is the opaque origin")]
    [InlineData("https://chat.example.com/chat", "without a path")]
    [InlineData("https://user@chat.example.com", "without a path, query or user name")]
    [InlineData("chat.example.com", "is not an origin (scheme://host[:port])")]
    public void A_value_that_is_not_an_origin_is_refused_as_an_allowed_origin(string value, string problem)
    {
        var failure = Assert.Single(SocketIOFailures(("SocketIO:Cors:AllowedOrigins:0", value)));

        Assert.StartsWith($"SocketIO:Cors:AllowedOrigins: \"{value}\"", failure);
        Assert.Contains(problem, failure);
    }

    [Fact]
    public void A_wildcard_public_origin_is_refused_and_points_to_the_cors_setting()
    {
        var failure = Assert.Single(SocketIOFailures(("SocketIO:PublicOrigins:0", "*")));

        Assert.Contains("SocketIO:PublicOrigins: \"*\"", failure);
        Assert.Contains("use SocketIO:Cors:AllowedOrigins=* instead", failure);
    }

    [Fact]
    public void A_wildcard_with_credentials_from_configuration_is_refused()
    {
        var failure = Assert.Single(SocketIOFailures(("SocketIO:Cors:AllowedOrigins:0", "*"), ("SocketIO:Cors:AllowCredentials", "true")));

        Assert.Contains("does not allow a wildcard origin with credentials", failure);
    }

    [Fact]
    public void A_raw_engine_endpoint_names_its_own_section()
    {
        var services = new ServiceCollection();
        services.AddEngineIO("/engine.io", o =>
        {
            o.Cors.AllowedOrigins.Add("*");
            o.Cors.AllowCredentials = true;
        });
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<EngineIOOptions>>().Get("/engine.io"));

        Assert.StartsWith("EngineIO:Cors:AllowCredentials is true", Assert.Single(failure.Failures));
    }
}
