using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using TeamPlatform.Console.Infrastructure.Gateway;

namespace TeamPlatform.Console.Infrastructure.Sessions;

/// <summary>
/// The two requests that change the browser's cookie, posted by forms with an antiforgery token (a page's circuit
/// cannot set cookies): claiming a signed-in session with its ticket, and signing out.
/// </summary>
public static class AccountEndpoints
{
    public const string SessionClaim = "console_session";
    public const string OrganisationClaim = "org";
    public const string ClaimPath = "/account/session";
    public const string SignOutPath = "/account/sign-out";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(ClaimPath, ClaimAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        routes.MapPost(SignOutPath, SignOutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return routes;
    }

    public static Guid? ConsoleSessionId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(SessionClaim), out var id) ? id : null;

    public static string? OrgSlug(this ClaimsPrincipal user) => user.FindFirstValue(OrganisationClaim);

    private static async Task<IResult> ClaimAsync(
        [FromForm] string ticket,
        [FromForm] string? returnUrl,
        HttpContext context,
        MemberSessions sessions,
        CancellationToken cancellationToken)
    {
        var session = await sessions.ClaimAsync(ticket, cancellationToken);
        if (session is null)
        {
            return TypedResults.LocalRedirect("/?signin=expired");
        }

        var identity = new ClaimsIdentity(
            [new Claim(SessionClaim, session.Id.ToString()), new Claim(OrganisationClaim, session.OrgSlug)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, MemberSessions sessions, CancellationToken cancellationToken)
    {
        var slug = context.User.OrgSlug();
        if (context.User.ConsoleSessionId() is { } sessionId)
        {
            await sessions.EndAsync(sessionId, BrowserClient.Of(context), cancellationToken);
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect(slug is null ? "/" : $"/o/{slug}?signedout=1");
    }

    // Only paths of this site: a ticket form must not become an open redirect.
    internal static bool IsLocal([NotNullWhen(true)] string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
