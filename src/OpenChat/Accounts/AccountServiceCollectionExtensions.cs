using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenChat.Accounts;
using OpenChat.Storage;
using OpenChat.Storage.Schema;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers accounts: their store and schema, cookie sign-in, antiforgery, data protection keys and rate limits.</summary>
public static class AccountServiceCollectionExtensions
{
    /// <summary>The sign-in cookie.</summary>
    public const string CookieName = "openchat.signin";

    /// <summary>The antiforgery cookie (its token goes in the <c>RequestVerificationToken</c> header).</summary>
    public const string AntiforgeryCookieName = "openchat.antiforgery";

    /// <summary>
    /// Adds accounts, kept where the history is (<see cref="StorageServiceCollectionExtensions.AddChatStorage"/>,
    /// which must be added first): in the database, with an <c>accounts</c> schema module and the data
    /// protection keys beside them, or in memory with <c>Storage:Enabled=false</c>.
    /// </summary>
    public static IServiceCollection AddChatAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccountOptions>, AccountOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var dataProtection = services.AddDataProtection().SetApplicationName("OpenChat");
        if (configuration.GetSection(StorageOptions.SectionName).GetValue<bool?>(nameof(StorageOptions.Enabled)) ?? true)
        {
            // After the history's module: a module may rely on the tables of those before it.
            services.TryAddEnumerable(ServiceDescriptor.Singleton<ISchemaModule, AccountsSchema>());
            services.TryAddSingleton<IAccountStore>(sp => new SqlAccountStore(sp.GetRequiredService<ChatDatabase>()));
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
                o => o.XmlRepository = new DatabaseKeyRepository(sp.GetRequiredService<ChatDatabase>())));
        }
        else
        {
            // Nothing on disk: keys live as long as the accounts, until the app stops.
            dataProtection.UseEphemeralDataProtectionProvider();
            services.TryAddSingleton<IAccountStore, MemoryAccountStore>();
        }

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme).Configure<IOptions<AccountOptions>>((cookie, accounts) =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = accounts.Value.SignInLifetime;
            cookie.SlidingExpiration = true;

            // An API, not pages: say 401/403 instead of redirecting to a login page.
            cookie.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookieName;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = "RequestVerificationToken";
        });
        services.AddAccountRateLimits();
        services.TryAddSingleton<SignInThrottle>();
        services.TryAddSingleton<IPasswordHasher<AccountRecord>, PasswordHasher<AccountRecord>>();
        services.TryAddSingleton<AccountService>();
        services.TryAddSingleton<AccountSockets>();
        return services;
    }
}
