using Microsoft.Extensions.Options;
using OpenChat.Chat;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the chat's message path, channels and history (after <c>AddChatStorage</c>).</summary>
public static class ChannelServiceCollectionExtensions
{
    public static IServiceCollection AddChatChannels(this IServiceCollection services)
    {
        services.AddSingleton<Refusals>();
        services.AddSingleton(sp => new ChannelNameRules(sp.GetRequiredService<IOptions<ChatOptions>>().Value));
        services.AddSingleton<ChannelDirectory>();
        services.AddSingleton<MessageDelivery>();
        services.AddSingleton<MessageHandlers>();
        services.AddSingleton<ChannelHandlers>();
        services.AddSingleton<HistoryHandlers>();
        services.AddHostedService<ChannelLoader>();
        return services;
    }
}
