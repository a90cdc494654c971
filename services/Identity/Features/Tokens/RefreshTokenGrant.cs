using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// The refresh token grant: OpenIddict has checked the refresh token (and rotates it); this checks that its session
/// still goes on and asks permission for the member's current status, as at login.
/// </summary>
internal sealed class RefreshTokenGrant(IdentityDbContext db, PermissionClient permission, TimeProvider time)
{
    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var refreshToken = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal!;
        if (!Guid.TryParse(refreshToken.GetClaim(TokenClaims.Subject), out var memberId)
            || !Guid.TryParse(refreshToken.GetClaim(TokenClaims.Organisation), out var orgId)
            || !Guid.TryParse(refreshToken.GetClaim(TokenClaims.Session), out var sessionId))
        {
            return TokenAnswers.Refuse(LoginRefusals.InvalidCredentials);
        }

        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == sessionId && s.MemberId == memberId, cancellationToken);
        var credential = await db.Credentials.AsNoTracking().FirstOrDefaultAsync(c => c.MemberId == memberId, cancellationToken);
        if (!LoginPolicy.AllowsRefresh(session, credential, out var refused))
        {
            return TokenAnswers.Refuse(refused);
        }

        if (await permission.StatusRefusalAsync(orgId, memberId, cancellationToken) is { } notActive)
        {
            return TokenAnswers.Refuse(notActive);
        }

        session.Refreshed(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);

        var principal = TokenAnswers.MemberPrincipal(memberId, orgId, sessionId);
        principal.SetAuthorizationId(refreshToken.GetAuthorizationId());
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
