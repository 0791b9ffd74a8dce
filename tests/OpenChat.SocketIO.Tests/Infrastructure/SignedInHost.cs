using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace OpenChat.SocketIO.Tests.Infrastructure;

/// <summary>
/// A Socket.IO server behind ASP.NET Core cookie authentication, as an app with accounts has it:
/// <c>GET /sign-in/{name}</c> signs in as that user and answers with the cookie.
/// </summary>
public static class SignedInHost
{
    public static Task<TestHost> StartAsync(Action<SocketIOServer> handlers) => TestHost.StartAsync(
        handlers: handlers,
        services: services => services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(),
        mapMore: app =>
        {
            app.UseAuthentication();
            app.MapGet("/sign-in/{name}", (string name) => Results.SignIn(
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "id-" + name), new Claim(ClaimTypes.Name, name)], CookieAuthenticationDefaults.AuthenticationScheme)),
                authenticationScheme: CookieAuthenticationDefaults.AuthenticationScheme));
        });

    /// <summary>Signs in as <paramref name="name"/>; returns the <c>Cookie</c> header value that carries it.</summary>
    public static async Task<string> SignInAsync(this TestHost host, string name)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(host.BaseUri, "/sign-in/" + name)).WithTimeout();
        response.EnsureSuccessStatusCode();
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        return setCookie.Split(';')[0];
    }
}
