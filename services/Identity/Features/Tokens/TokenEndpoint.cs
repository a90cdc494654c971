using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server.AspNetCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using E164 = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;
using TeamPlatform.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// <c>POST /connect/token</c>. OpenIddict has already checked the request's shape, the client and (for a
/// refresh) the token itself; this decides who gets tokens. Members log in with phone, password and the
/// organisation's slug; every password and refresh grant asks permission for the member's current status.
/// </summary>
internal sealed partial class TokenEndpoint(
    IdentityDbContext db,
    Passwords passwords,
    PermissionClient permission,
    IOpenIddictAuthorizationManager authorizations,
    IOptions<LoginOptions> loginOptions,
    TimeProvider time,
    ILogger<TokenEndpoint> logger)
{
    public const string OrganisationParameter = "org";

    public static async Task<IResult> Handle(HttpContext http, TokenEndpoint endpoint)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");
        var cancellationToken = http.RequestAborted;

        if (request.IsPasswordGrantType())
        {
            return await endpoint.PasswordAsync(request, http.Request.Headers.UserAgent.ToString(), cancellationToken);
        }

        if (request.IsRefreshTokenGrantType())
        {
            var refreshed = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return await endpoint.RefreshAsync(refreshed.Principal!, cancellationToken);
        }

        if (request.IsClientCredentialsGrantType())
        {
            return ClientCredentials(request);
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    private async Task<IResult> PasswordAsync(OpenIddictRequest request, string userAgent, CancellationToken cancellationToken)
    {
        var slug = (string?)request[OrganisationParameter];
        var organisation = string.IsNullOrEmpty(slug)
            ? null
            : await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Slug == slug && o.VerifiedAt != null, cancellationToken);
        if (organisation is null || !E164.TryNormalize(request.Username, out var phone))
        {
            passwords.SpendTimeOnUnknown(request.Password);
            return Refuse(LoginRefusals.InvalidCredentials);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Database.AutoSavepointsEnabled = false; // one transaction, no partial rollback: spare the round trips
        // Locked so that concurrent wrong passwords are all counted.
        var credential = await db.Credentials
            .FromSql($"SELECT * FROM credentials WHERE org_id = {organisation.Id} AND phone = {phone} AND removed_at IS NULL FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        if (credential is null)
        {
            passwords.SpendTimeOnUnknown(request.Password);
            return Refuse(LoginRefusals.InvalidCredentials);
        }

        var now = time.GetUtcNow();
        if (credential.EnsureNotLockedOut(now).Error is { } locked)
        {
            return Refuse(locked.Code);
        }

        // The member's current status travels to permission while the hash (most of a login's time) is computed.
        var statusRefusal = RefusalForStatusAsync(credential.OrgId, credential.MemberId, cancellationToken);
        if (!passwords.Verify(credential.PasswordHash, request.Password ?? "", out var rehash))
        {
            await IgnoreFailureAsync(statusRefusal);
            var refusal = credential.RecordFailedLogin(loginOptions.Value.Lockout, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (refusal.Code == LoginRefusals.AccountLocked)
            {
                LogLockedOut(logger, credential.MemberId);
            }

            return Refuse(refusal.Code);
        }

        if (rehash is not null)
        {
            credential.Rehash(rehash);
        }

        credential.RecordSuccessfulLogin();
        if (await statusRefusal is { } notActive)
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Refuse(notActive);
        }

        var session = Session.Start(credential.MemberId, credential.OrgId, userAgent, now);
        var principal = Principal(credential.MemberId, credential.OrgId, session.Id);
        var authorization = await authorizations.CreateAsync(
            new OpenIddictAuthorizationDescriptor
            {
                Subject = credential.MemberId.ToString(),
                Type = AuthorizationTypes.Permanent,
                Status = Statuses.Valid,
                CreationDate = now,
                Principal = principal,
                Scopes = { Scopes.OfflineAccess },
            },
            cancellationToken);
        var authorizationId = (await authorizations.GetIdAsync(authorization, cancellationToken))!;
        session.BindTo(authorizationId);
        principal.SetAuthorizationId(authorizationId);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> RefreshAsync(ClaimsPrincipal refreshToken, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(refreshToken.GetClaim(TokenClaims.Subject), out var memberId)
            || !Guid.TryParse(refreshToken.GetClaim(TokenClaims.Organisation), out var orgId)
            || !Guid.TryParse(refreshToken.GetClaim(TokenClaims.Session), out var sessionId))
        {
            return Refuse(LoginRefusals.InvalidCredentials);
        }

        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == sessionId && s.MemberId == memberId, cancellationToken);
        var credential = await db.Credentials.AsNoTracking().FirstOrDefaultAsync(c => c.MemberId == memberId, cancellationToken);
        if (session is not { IsActive: true } || credential is null || credential.IsRemoved)
        {
            return Refuse(LoginRefusals.InvalidCredentials);
        }

        if (await RefusalForStatusAsync(orgId, memberId, cancellationToken) is { } notActive)
        {
            return Refuse(notActive);
        }

        session.Refreshed(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);

        var principal = Principal(memberId, orgId, sessionId);
        principal.SetAuthorizationId(refreshToken.GetAuthorizationId());
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult ClientCredentials(OpenIddictRequest request)
    {
        // OpenIddict has authenticated the client and checked that it may ask for these scopes.
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, request.ClientId);
        identity.SetClaim(Claims.ClientId, request.ClientId);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(request.GetScopes());
        principal.SetAudiences(TokenAuthentication.Audience);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Null when the member may have tokens; otherwise the refusal (a removed or unknown member is a stranger).</summary>
    private async Task<string?> RefusalForStatusAsync(Guid orgId, Guid memberId, CancellationToken cancellationToken)
    {
        var member = await permission.GetMemberAsync(orgId, memberId, cancellationToken);
        return member?.Status switch
        {
            MemberStatuses.Active => null,
            MemberStatuses.PendingApproval => LoginRefusals.PendingApproval,
            MemberStatuses.Blocked => LoginRefusals.AccessBlocked,
            _ => LoginRefusals.InvalidCredentials,
        };
    }

    // A wrong password is answered as such whatever became of the status call made beside the hash.
    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception exception) when (exception is DependencyUnavailableException or HttpRequestException or OperationCanceledException)
        {
        }
    }

    /// <summary>Identity only — <c>sub</c>, <c>org</c>, <c>sid</c> — never roles or permissions (SPEC §3).</summary>
    private static ClaimsPrincipal Principal(Guid memberId, Guid orgId, Guid sessionId)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, memberId.ToString());
        identity.SetClaim(TokenClaims.Organisation, orgId.ToString());
        identity.SetClaim(TokenClaims.Session, sessionId.ToString());
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(ImmutableArray.Create(Scopes.OfflineAccess));
        principal.SetAudiences(TokenAuthentication.Audience);
        return principal;
    }

    private static IResult Refuse(string code) => Refuse(Errors.InvalidGrant, code);

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member {MemberId} locked out after repeated failed passwords")]
    private static partial void LogLockedOut(ILogger logger, Guid memberId);
}
