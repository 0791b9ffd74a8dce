using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenChat.Storage;
using OpenChat.Storage.Schema;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the chat's storage.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds the store: SQLite in <c>Storage:DataFolder</c>/openchat.db unless <c>ConnectionStrings:Chat</c>
    /// says otherwise (a SQLite file, or a PostgreSQL server by its <c>Host=</c> keyword or a
    /// <c>postgres://</c> URL), or memory only with <c>Storage:Enabled=false</c>. Register it after
    /// <c>AddSocketIO</c>, so that on shutdown queued messages are stored and answered before the
    /// connections close.
    /// </summary>
    public static IServiceCollection AddChatStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISchemaModule, HistorySchema>());
        services.TryAddSingleton<RetentionSweeper>();

        if (configuration.GetSection(StorageOptions.SectionName).GetValue<bool?>(nameof(StorageOptions.Enabled)) ?? true)
        {
            services.TryAddSingleton(sp => OpenDatabase(configuration, sp.GetRequiredService<IOptions<StorageOptions>>().Value));
            services.TryAddSingleton(sp => new SchemaMigrator(
                sp.GetRequiredService<ChatDatabase>(),
                sp.GetServices<ISchemaModule>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<SchemaMigrator>>()));
            services.TryAddSingleton<IChatStore, SqlChatStore>();
            services.TryAddSingleton<IMessageWriter, BatchingMessageWriter>();
        }
        else
        {
            services.TryAddSingleton(sp => new MemoryChatStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IChatStore>(sp => sp.GetRequiredService<MemoryChatStore>());
            services.TryAddSingleton<IMessageWriter, ImmediateMessageWriter>();
        }

        services.AddHostedService<StorageHost>();
        return services;
    }

    /// <summary>The database <c>ConnectionStrings:Chat</c> names, or the default SQLite file in the data folder.</summary>
    internal static ChatDatabase OpenDatabase(IConfiguration configuration, StorageOptions options)
    {
        var connectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var file = Path.Combine(options.ResolveDataFolder(), StorageOptions.DefaultFileName);
            return new SqliteChatDatabase($"Data Source={file}", options);
        }

        if (PostgresConnectionString.Names(connectionString))
        {
            return new PostgresChatDatabase(connectionString, options);
        }

        try
        {
            return new SqliteChatDatabase(connectionString, options);
        }
        catch (ArgumentException e)
        {
            throw new ChatStoreException(
                ChatStoreFailure.Unavailable,
                $"ConnectionStrings:Chat is neither a SQLite connection string (Data Source=file.db) nor a PostgreSQL one (Host=...; or postgres://...): {e.Message}",
                e);
        }
    }
}
