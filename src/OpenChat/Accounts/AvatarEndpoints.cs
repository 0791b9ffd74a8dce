using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenChat.Accounts.Images;
using OpenChat.Storage;

namespace OpenChat.Accounts;

/// <summary>
/// <c>POST /account/avatar</c> (a multipart form with an <c>avatar</c> file, and the antiforgery token),
/// <c>DELETE /account/avatar</c>, and <c>GET /avatars/{account}/{version}</c>. An upload is accepted only when
/// its bytes are a well-formed PNG, JPEG or WebP (<see cref="ImageInspector"/>) within
/// <see cref="AccountOptions.MaxAvatarBytes"/> and <see cref="AccountOptions.MaxAvatarDimension"/>. An avatar
/// is served with the content type its bytes are, <c>nosniff</c>, and a CSP that lets nothing run even when
/// opened on its own; its URL changes with every upload, so it may be cached for good.
/// </summary>
public static partial class AvatarEndpoints
{
    /// <summary>The policy an avatar is served with: nothing loads, nothing runs, no same-origin powers.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; sandbox";

    /// <summary>Room for the multipart framing around the file.</summary>
    private const int FormOverhead = 16 * 1024;

    internal static void MapAvatars(this WebApplication app)
    {
        app.MapPost("/account/avatar", UploadAsync).RequireRateLimiting(AccountRateLimits.Avatar);
        app.MapDelete("/account/avatar", DeleteAsync).RequireRateLimiting(AccountRateLimits.Avatar);
        app.MapMethods(AvatarUrls.Prefix + "{accountId:long}/{version}", ["GET", "HEAD"], ServeAsync);
    }

    private static async Task<IResult> UploadAsync(HttpContext context, IAccountStore store, AccountSockets sockets, IAntiforgery antiforgery, IOptions<AccountOptions> options, TimeProvider time)
    {
        var o = options.Value;
        if (AccountClaims.AccountId(context.User) is not long accountId)
        {
            return AccountEndpoints.Refuse(context, StatusCodes.Status401Unauthorized, "Sign in to upload a picture.");
        }

        var limit = (long)o.MaxAvatarBytes + FormOverhead;
        if (context.Request.ContentLength > limit)
        {
            return TooLarge(context, o);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limit;
        }

        if (await AccountEndpoints.CheckAntiforgeryAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        if (!context.Request.HasFormContentType)
        {
            return AccountEndpoints.Refuse(context, StatusCodes.Status400BadRequest, "Send the picture as a form with an avatar file.");
        }

        byte[] bytes;
        try
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var file = form.Files.GetFile("avatar");
            if (file is null || file.Length == 0)
            {
                return AccountEndpoints.Refuse(context, StatusCodes.Status400BadRequest, "Choose a picture to upload.");
            }

            if (file.Length > o.MaxAvatarBytes)
            {
                return TooLarge(context, o);
            }

            bytes = new byte[file.Length];
            await using var stream = file.OpenReadStream();
            await stream.ReadExactlyAsync(bytes, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(context, o);
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or IOException)
        {
            return AccountEndpoints.Refuse(context, StatusCodes.Status400BadRequest, "The upload was cut short or is not a valid form; try again.");
        }

        // What the file is comes from its bytes alone: its name and declared type are not even read.
        var image = ImageInspector.Inspect(bytes, out var reason);
        if (image is null)
        {
            return AccountEndpoints.Refuse(context, StatusCodes.Status415UnsupportedMediaType, reason);
        }

        if (image.Width > o.MaxAvatarDimension || image.Height > o.MaxAvatarDimension)
        {
            return AccountEndpoints.Refuse(context, StatusCodes.Status400BadRequest, $"Pictures are at most {o.MaxAvatarDimension}×{o.MaxAvatarDimension} pixels; this one is {image.Width}×{image.Height}.");
        }

        var avatar = new AvatarImage(image.ContentType, image.Width, image.Height, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]);
        try
        {
            await store.SetAvatarAsync(accountId, avatar, time.GetUtcNow().ToUnixTimeMilliseconds(), context.RequestAborted);
        }
        catch (ChatStoreException)
        {
            return AccountEndpoints.Refuse(context, StatusCodes.Status503ServiceUnavailable, "Your picture cannot be stored right now; try again in a moment.");
        }

        var url = AvatarUrls.For(accountId, avatar.Version);
        sockets.AvatarChanged(accountId, url);
        return AccountEndpoints.Reply(context, StatusCodes.Status200OK, new AccountReply(true, Avatar: url));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, IAccountStore store, AccountSockets sockets, IAntiforgery antiforgery)
    {
        if (AccountClaims.AccountId(context.User) is not long accountId)
        {
            return AccountEndpoints.Refuse(context, StatusCodes.Status401Unauthorized, "Sign in to change your picture.");
        }

        if (await AccountEndpoints.CheckAntiforgeryAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        try
        {
            if (await store.DeleteAvatarAsync(accountId, context.RequestAborted))
            {
                sockets.AvatarChanged(accountId, null);
            }
        }
        catch (ChatStoreException)
        {
            return AccountEndpoints.Refuse(context, StatusCodes.Status503ServiceUnavailable, "Your picture cannot be removed right now; try again in a moment.");
        }

        return AccountEndpoints.Reply(context, StatusCodes.Status200OK, new AccountReply(true));
    }

    private static async Task<IResult> ServeAsync(HttpContext context, long accountId, string version, IAccountStore store)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        AvatarImage? avatar;
        try
        {
            avatar = await store.GetAvatarAsync(accountId, context.RequestAborted);
        }
        catch (ChatStoreException)
        {
            headers.CacheControl = "no-store";
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        if (avatar is null)
        {
            headers.CacheControl = "no-cache";
            return Results.NotFound();
        }

        if (avatar.Version != version)
        {
            // An older picture's URL (a message shown before the change): the current one, never cached as this URL.
            headers.CacheControl = "no-cache";
            return Results.Redirect(AvatarUrls.For(accountId, avatar.Version)!);
        }

        headers.CacheControl = "public, max-age=31536000, immutable";
        var etag = new EntityTagHeaderValue("\"" + avatar.Version + "\"");
        return Results.Bytes(avatar.Bytes, avatar.ContentType, entityTag: etag);
    }

    private static IResult TooLarge(HttpContext context, AccountOptions options) =>
        AccountEndpoints.Refuse(context, StatusCodes.Status413PayloadTooLarge, $"Pictures are at most {FormatBytes(options.MaxAvatarBytes)}; choose a smaller file.");

    private static string FormatBytes(int bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} bytes";
}
