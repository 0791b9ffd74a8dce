using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenChat.Tests.Accounts;

/// <summary>
/// One browser's worth of account requests over real HTTP: its own cookie jar, the antiforgery token from
/// <c>GET /account</c> in the header as the page sends it, and optionally the client address a trusted
/// (loopback) proxy would forward.
/// </summary>
public sealed class AccountClient : IDisposable
{
    private readonly HttpClient _http;
    private string? _token;

    public AccountClient(Uri baseUri, string? forwardedFor = null)
    {
        BaseUri = baseUri;
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseUri };
        if (forwardedFor is not null)
        {
            _http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
    }

    public Uri BaseUri { get; }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    /// <summary>The <c>Cookie</c> header this browser sends, for a Socket.IO client of the same browser.</summary>
    public string CookieHeader => Cookies.GetCookieHeader(BaseUri);

    /// <summary>The sign-in cookie as the server set it (null when signed out).</summary>
    public Cookie? SignInCookie => Cookies.GetCookies(BaseUri)[AccountServiceCollectionExtensions.CookieName];

    /// <summary><c>GET /account</c>; keeps its antiforgery token for the next posts.</summary>
    public async Task<JsonElement> StateAsync()
    {
        using var response = await _http.GetAsync("/account").WithTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = await response.Content.ReadFromJsonAsync<JsonElement>().WithTimeout();
        _token = state.GetProperty("antiforgery").GetString();
        return state;
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> SignUpAsync(string name, string password) =>
        ChangeUserAsync("/account/sign-up", [new("name", name), new("password", password)]);

    public Task<(HttpStatusCode Status, JsonElement Body)> SignInAsync(string name, string password) =>
        ChangeUserAsync("/account/sign-in", [new("name", name), new("password", password)]);

    public Task<(HttpStatusCode Status, JsonElement Body)> SignOutAsync() => ChangeUserAsync("/account/sign-out", []);

    /// <summary>Uploads a file as the page does: multipart, field <c>avatar</c>, with the given file name and declared type.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> UploadAvatarAsync(byte[] file, string fileName = "me.png", string contentType = "image/png")
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        content.Add(part, "avatar", fileName);
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/account/avatar") { Content = content });
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> RemoveAvatarAsync() => SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/account/avatar"));

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) });

    /// <summary>Sends with the antiforgery token (fetched first if need be) unless <paramref name="withToken"/> is false.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpRequestMessage request, bool withToken = true)
    {
        if (withToken)
        {
            if (_token is null)
            {
                await StateAsync();
            }

            request.Headers.Add("RequestVerificationToken", _token);
        }

        using (request)
        using (var response = await _http.SendAsync(request).WithTimeout())
        {
            var text = await response.Content.ReadAsStringAsync().WithTimeout();
            var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            return (response.StatusCode, body);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// An antiforgery token belongs to the user it was issued to: once the user changes, the page reloads and
    /// gets a new one, and so does this client before its next post.
    /// </summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> ChangeUserAsync(string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var answer = await PostFormAsync(path, fields);
        if (answer.Status == HttpStatusCode.OK)
        {
            _token = null;
        }

        return answer;
    }
}
