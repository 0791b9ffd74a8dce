using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Puts a <see cref="ReadReceiptStream"/> under the WebSocket of an Engine.IO endpoint: installed before the
/// WebSocket middleware, it wraps the upgraded stream and leaves it in the request's features for the
/// transport. Servers without an upgrade feature (an in-memory test server) simply get no receipts.
/// </summary>
internal sealed class ReadReceiptUpgradeFeature(IHttpUpgradeFeature inner, IFeatureCollection features, TimeProvider time) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public static void Install(HttpContext context, TimeProvider time)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new ReadReceiptUpgradeFeature(upgrade, context.Features, time));
        }
    }

    public async Task<Stream> UpgradeAsync()
    {
        var stream = new ReadReceiptStream(await inner.UpgradeAsync(), time);
        features.Set(stream);
        return stream;
    }
}
