using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server.AspNetCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using E164 = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;
using TeamPlatform.Internal;
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
    PendingLogin login,
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
            return await endpoint.PasswordAsync(http, cancellationToken);
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

    /// <summary>
    /// Called by <see cref="BeginLogin"/> as soon as OpenIddict has read a password grant: one read, then the hash
    /// (most of a login's time). The attempt is answered before the hash starts: the request goes on (OpenIddict's
    /// checks, the endpoint's writes) on another thread, while the thread that read the credential, already
    /// running, computes the hash. Handing the hash to a sleeping thread instead would delay it by that thread's wake-up.
    /// </summary>
    public Task<PasswordAttempt> BeginPasswordAsync(OpenIddictRequest request, CancellationToken cancellationToken)
    {
        // Asynchronous continuations: whoever awaits the attempt goes on on another thread.
        var attempt = new TaskCompletionSource<PasswordAttempt>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = CheckPasswordAsync(request, attempt, cancellationToken);
        return attempt.Task;
    }

    private async Task CheckPasswordAsync(OpenIddictRequest request, TaskCompletionSource<PasswordAttempt> attempt, CancellationToken cancellationToken)
    {
        Credential? credential;
        try
        {
            credential = await ReadCredentialAsync(request, cancellationToken);
        }
        catch (Exception exception)
        {
            attempt.SetException(exception);
            return;
        }

        if (credential is null)
        {
            // An unknown phone is refused after as long as a wrong password would take.
            passwords.SpendTimeOnUnknown(request.Password);
            attempt.SetResult(PasswordAttempt.Refused(LoginRefusals.InvalidCredentials));
            return;
        }

        if (credential.EnsureNotLockedOut(time.GetUtcNow()).Error is { } locked)
        {
            attempt.SetResult(PasswordAttempt.Refused(locked.Code));
            return;
        }

        var verdict = new TaskCompletionSource<LoginVerdict>();
        attempt.SetResult(PasswordAttempt.Checking(credential, verdict.Task));
        try
        {
            verdict.SetResult(await VerdictAsync(credential, request.Password ?? "", cancellationToken));
        }
        catch (Exception exception)
        {
            verdict.SetException(exception);
        }
    }

    // Compiled once: a login's read spares building and looking up its query (the read comes before the hash).
    private static readonly Func<IdentityDbContext, string, string, CancellationToken, Task<Credential?>> CredentialOf =
        EF.CompileAsyncQuery((IdentityDbContext db, string slug, string phone, CancellationToken _) => (
            from c in db.Credentials
            join o in db.Organisations on c.OrgId equals o.Id
            where o.Slug == slug && o.VerifiedAt != null && c.Phone == phone && c.RemovedAt == null
            select c).SingleOrDefault());

    /// <summary>Not locked: a right password changes nothing a concurrent attempt could lose; a wrong one is counted under a lock (RecordFailedLoginAsync).</summary>
    private async Task<Credential?> ReadCredentialAsync(OpenIddictRequest request, CancellationToken cancellationToken)
    {
        var slug = (string?)request[OrganisationParameter];
        return string.IsNullOrEmpty(slug) || !E164.TryNormalize(request.Username, out var phone)
            ? null
            : await CredentialOf(db, slug, phone, cancellationToken);
    }

    /// <summary>
    /// While the hash runs, this writes the session and has OpenIddict issue the tokens, all in one transaction.
    /// <see cref="ConcludeLogin"/> holds the token response until the password and the member's status are known:
    /// it commits and sends the tokens, or rolls everything back and sends the refusal instead
    /// (docs/decisions/0104-login-beside-the-hash.md).
    /// </summary>
    private async Task<IResult> PasswordAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var attempt = login.Attempt ?? throw new InvalidOperationException("The password grant reached the endpoint without its check begun.");
        if (attempt.IsRefused)
        {
            return Refuse(attempt.Refusal);
        }

        var (credential, verdict) = (attempt.Credential, attempt.Verdict);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Database.AutoSavepointsEnabled = false; // one transaction, no partial rollback: spare the round trips
        // The commit, after the hash, is all that keeps the tokens waiting: it does not wait for the disk. A database
        // crash may lose the logins of its last fraction of a second; their members log in again (decision 0104).
        await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit TO OFF", cancellationToken);
        credential.RecordSuccessfulLogin();
        var session = Session.Start(credential.MemberId, credential.OrgId, http.Request.Headers.UserAgent.ToString(), now);
        var principal = Principal(credential.MemberId, credential.OrgId, session.Id);
        var authorization = new OpenIddictEntityFrameworkCoreAuthorization { Id = session.Id.ToString() };
        await authorizations.PopulateAsync(authorization, new OpenIddictAuthorizationDescriptor
        {
            Subject = credential.MemberId.ToString(),
            Type = AuthorizationTypes.Permanent,
            Status = Statuses.Valid,
            CreationDate = now,
            Principal = principal,
            Scopes = { Scopes.OfflineAccess },
        }, cancellationToken);
        session.BindTo(authorization.Id);
        principal.SetAuthorizationId(authorization.Id);
        db.Sessions.Add(session);
        // The store saves the whole unit of work: the authorization, the session and any reset of failed logins.
        await authorizations.CreateAsync(authorization, cancellationToken);

        login.Await(async (tokensIssued, concluding) =>
        {
            var (passwordRight, refusal, rehash) = await verdict;
            if (!tokensIssued)
            {
                await transaction.RollbackAsync(concluding);
                return null;
            }

            if (passwordRight && refusal is null)
            {
                if (rehash is not null)
                {
                    credential.Rehash(rehash);
                    await db.SaveChangesAsync(concluding);
                }

                await transaction.CommitAsync(concluding);
                return null;
            }

            await transaction.RollbackAsync(concluding);
            return passwordRight ? refusal : await RecordFailedLoginAsync(credential.MemberId, now, concluding);
        });
        await http.SignInAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, principal);
        return Results.Empty;
    }

    /// <summary>
    /// The hash, computed on the calling thread, while the member's current status travels to permission. The status
    /// call is started on another thread: starting it here (the HTTP client's handlers run until its first wait) would
    /// hold back the hash.
    /// </summary>
    private async Task<LoginVerdict> VerdictAsync(Credential credential, string password, CancellationToken cancellationToken)
    {
        var status = Task.Run(() => RefusalForStatusAsync(credential.OrgId, credential.MemberId, cancellationToken), cancellationToken);
        if (!passwords.Verify(credential.PasswordHash, password, out var rehash))
        {
            await IgnoreFailureAsync(status);
            return new LoginVerdict(false, null, null);
        }

        return new LoginVerdict(true, await status, rehash);
    }

    /// <summary>Counts a wrong password, locked so that concurrent wrong passwords are all counted.</summary>
    private async Task<string> RecordFailedLoginAsync(Guid memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var credential = await db.Credentials
            .FromSql($"SELECT * FROM credentials WHERE member_id = {memberId} FOR UPDATE")
            .SingleAsync(cancellationToken);
        // Attempts made side by side all read the account unlocked; once one of them locks it, the rest are refused.
        if (credential.EnsureNotLockedOut(now).Error is { } locked)
        {
            return locked.Code;
        }

        var refusal = credential.RecordFailedLogin(loginOptions.Value.Lockout, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (refusal.Code == LoginRefusals.AccountLocked)
        {
            LogLockedOut(logger, credential.MemberId);
        }

        return refusal.Code;
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
