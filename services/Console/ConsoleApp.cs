using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.FluentUI.AspNetCore.Components;
using Polly;
using TeamPlatform.Console.Components;
using TeamPlatform.Console.Features.Audit;
using TeamPlatform.Console.Infrastructure;
using TeamPlatform.Console.Infrastructure.Api;
using TeamPlatform.Console.Infrastructure.Gateway;
using TeamPlatform.Console.Infrastructure.Sessions;
using TeamPlatform.Internal;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Console;

public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Where the public API is: the gateway, by service discovery.</summary>
    public Uri GatewayUrl { get; set; } = new($"http://{ServiceNames.Gateway}");
}

public static class ConsoleApp
{
    public const string Name = ServiceNames.Console;
    public const string CookieName = ".TeamPlatform.Console";

    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddServiceDatabase<ConsoleDbContext>(ConsoleDbContext.ConnectionName);
        builder.AddTrustedProxies();
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section);

        // Every instance, before and after a restart, reads the cookies and tokens any of them protected.
        services.AddDataProtection()
            .SetApplicationName("TeamPlatform.Console")
            .PersistKeysToDbContext<ConsoleDbContext>();

        var secureCookies = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = secureCookies;
                cookie.ExpireTimeSpan = TimeSpan.FromDays(14);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/";
                // The cookie only names a session: a session ended here (signed out, refused by identity) ends the cookie.
                // Pages are where it matters (what they render depends on who is signed in); static files and the
                // circuit's own requests need no database read, and every API call checks the session anyway.
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
                    {
                        return;
                    }

                    var sessions = context.HttpContext.RequestServices.GetRequiredService<MemberSessions>();
                    if (context.Principal?.ConsoleSessionId() is not { } id || !await sessions.ExistsAsync(id, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = ".TeamPlatform.Console.Antiforgery";
            antiforgery.Cookie.SecurePolicy = secureCookies;
        });

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddFluentUIComponents();

        // A person waits on every call: no retries of what they asked for (a resent code, a second invitation), only a bound.
#pragma warning disable EXTEXP0001 // Removing the default handler is marked experimental; the replacement below is not.
        services.AddHttpClient<GatewayClient>((provider, http) =>
                http.BaseAddress = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleOptions>>().Value.GatewayUrl)
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("gateway", pipeline => pipeline.AddTimeout(TimeSpan.FromSeconds(15)));
        // A download's rows stream for as long as the export takes: only the wait for its first answer is bounded.
        services.AddHttpClient<DownloadClient>((provider, http) =>
            {
                http.BaseAddress = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleOptions>>().Value.GatewayUrl;
                http.Timeout = TimeSpan.FromSeconds(30);
            })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        services.AddSingleton<MemberSessions>();
        services.AddSingleton<PendingPasswords>();
        services.AddSingleton<PendingSignIns>();
        services.AddScoped<ConsoleCircuit>();
        services.AddScoped<PublicApi>();
        services.AddScoped<MemberApi>();
        services.AddHostedService<ConsoleSweeper>();
        return builder;
    }

    public static WebApplication UseConsole(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseMiddleware<ConsoleSecurityHeaders>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapDefaultEndpoints();
        app.MapStaticAssets();
        app.MapAccountEndpoints();
        // The audit page's files: plain links the browser downloads with the member's cookie (docs/decisions/0503).
        var downloads = app.MapGroup("/downloads").RequireAuthorization(new AuthorizeAttribute());
        downloads.MapGet("/audit.csv", AuditDownloads.AuditAsync);
        downloads.MapGet("/access-review.csv", AuditDownloads.AccessReviewAsync);
        // The frame-ancestors rule is in the console's own policy (ConsoleSecurityHeaders), not in a second header.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(server => server.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
