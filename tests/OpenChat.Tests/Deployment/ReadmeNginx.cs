using System.Globalization;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Deployment;

/// <summary>The README's nginx site, with only its ports and certificate paths replaced by the test's.</summary>
public static class ReadmeNginx
{
    public const string Snippet = "nginx-site";

    /// <summary>The whole site, as the README shows it: HTTP→HTTPS redirect and TLS termination in front of the given instances.</summary>
    public static string TlsSite(int redirectPort, int tlsPort, TestCertificate certificate, int firstInstance, int secondInstance) =>
        ReadmeSnippet.Substitute(
            ReadmeSnippet.Get(Snippet),
            ("listen 80;", $"listen 127.0.0.1:{Text(redirectPort)};"),
            ("listen 443 ssl;", $"listen 127.0.0.1:{Text(tlsPort)} ssl;"),
            ("/etc/letsencrypt/live/chat.example.com/fullchain.pem", certificate.CertificatePath),
            ("/etc/letsencrypt/live/chat.example.com/privkey.pem", certificate.KeyPath),
            ("server 127.0.0.1:8000;", $"server 127.0.0.1:{Text(firstInstance)};"),
            ("# server 127.0.0.1:8001;", $"server 127.0.0.1:{Text(secondInstance)};"));

    /// <summary>The README's <c>map</c>, <c>upstream</c> and <c>location</c> blocks behind a plain listener on <paramref name="port"/>.</summary>
    public static string PlainSite(int port, int instance)
    {
        var site = ReadmeSnippet.Substitute(ReadmeSnippet.Get(Snippet), ("server 127.0.0.1:8000;", $"server 127.0.0.1:{Text(instance)};"));
        return $$"""
            {{ReadmeSnippet.NginxBlock(site, "map $http_upgrade")}}

            {{ReadmeSnippet.NginxBlock(site, "upstream openchat")}}

            server {
                listen 127.0.0.1:{{Text(port)}};
                {{ReadmeSnippet.NginxBlock(site, "location / ")}}
            }
            """;
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
