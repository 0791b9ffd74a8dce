using System.Diagnostics;

namespace OpenChat.Tests.Infrastructure;

/// <summary>A self-signed certificate for one host name, made by <c>openssl</c> in a temp folder that disposing removes.</summary>
public sealed class TestCertificate : IDisposable
{
    private readonly DirectoryInfo _folder;

    private TestCertificate(DirectoryInfo folder)
    {
        _folder = folder;
        CertificatePath = Path.Combine(folder.FullName, "cert.pem");
        KeyPath = Path.Combine(folder.FullName, "key.pem");
    }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public static async Task<TestCertificate> CreateAsync(string host)
    {
        var certificate = new TestCertificate(Directory.CreateTempSubdirectory("openchat-cert-"));
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=" + host, "-addext", "subjectAltName=DNS:" + host,
            "-keyout", certificate.KeyPath, "-out", certificate.CertificatePath,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var openssl = Process.Start(start) ?? throw new InvalidOperationException("Could not start openssl.");
        var errors = openssl.StandardError.ReadToEndAsync();
        await openssl.StandardOutput.ReadToEndAsync().WithTimeout();
        await openssl.WaitForExitAsync().WithTimeout();
        if (openssl.ExitCode != 0 || !File.Exists(certificate.CertificatePath))
        {
            certificate.Dispose();
            throw new InvalidOperationException($"openssl failed ({openssl.ExitCode}): {await errors}");
        }

        return certificate;
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
