using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Messaging;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// The password grant: a member logs in with phone, password and their organisation's slug (<c>org</c>). While the
/// <see cref="EarlyPasswordCheck"/> hashes, <see cref="HandleAsync"/> writes the session and has OpenIddict issue the
/// tokens, all in one transaction. <see cref="ConcludeLogin"/> holds the token response until
/// <see cref="ConcludeAsync"/> knows the verdict: it commits and the tokens are sent, or it rolls everything back and
/// the refusal is sent instead (docs/decisions/0104-login-beside-the-hash.md). One per request (scoped).
/// </summary>
internal sealed partial class PasswordGrant(
    IdentityDbContext db,
    EarlyPasswordCheck check,
    IOpenIddictAuthorizationManager authorizations,
    IOptions<LoginOptions> loginOptions,
    IdentityMetrics metrics,
    TimeProvider time,
    ILogger<PasswordGrant> logger)
{
    public const string OrganisationParameter = "org";

    private HeldLogin? _held;

    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var attempt = await check.Admission;
        if (attempt.IsRefused)
        {
            metrics.LoginRefused(attempt.Refusal);
            return TokenAnswers.Refuse(attempt.Refusal);
        }

        var credential = attempt.Credential;
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Database.AutoSavepointsEnabled = false; // one transaction, all or nothing: no savepoints to pay for
        // The commit is all that keeps the tokens waiting after the hash; what a database crash may lose: decision 0104.
        await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit TO OFF", cancellationToken);
        credential.RecordSuccessfulLogin();
        var session = Session.Start(credential.MemberId, credential.OrgId, http.Request.Headers.UserAgent.ToString(), now);
        var principal = TokenAnswers.MemberPrincipal(credential.MemberId, credential.OrgId, session.Id);
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
        // Published with the login's commit, and rolled back with a refused one: the audit learns of sign-ins from it.
        db.AddOutboxEvent(new MemberSignedIn(credential.OrgId, credential.MemberId, session.Id, now));
        // The store saves the whole unit of work: the authorization, the session, the event and any reset of failed logins.
        await authorizations.CreateAsync(authorization, cancellationToken);

        // OpenIddict issues the tokens and applies its response inside SignInAsync, so the transaction is still open
        // when ConcludeAsync runs; if anything throws first, disposing it rolls the login back.
        _held = new HeldLogin(transaction, credential, attempt.Verdict, now);
        await http.SignInAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, principal);
        return Results.Empty;
    }

    /// <summary>
    /// Run once the token response is ready (<see cref="ConcludeLogin"/>). Answers null to send it as it is, or the
    /// refusal to send instead. When OpenIddict could not issue the tokens, the login is rolled back whatever the
    /// password, and OpenIddict's error is sent. Nothing to do for a request this grant did not hold.
    /// </summary>
    public async Task<string?> ConcludeAsync(bool tokensIssued, CancellationToken cancellationToken)
    {
        if (_held is not { } held)
        {
            return null;
        }

        _held = null; // once: a response is applied once per request
        var (passwordRight, statusRefusal, rehash) = await held.Verdict;
        if (!tokensIssued)
        {
            await held.Transaction.RollbackAsync(cancellationToken);
            return null;
        }

        switch (LoginPolicy.Decide(passwordRight, statusRefusal))
        {
            case LoginOutcome.IssueTokens:
                if (rehash is not null)
                {
                    held.Credential.Rehash(rehash);
                    await db.SaveChangesAsync(cancellationToken);
                }

                await held.Transaction.CommitAsync(cancellationToken);
                metrics.LoginSucceeded();
                return null;
            case LoginOutcome.RefuseForStatus:
                await held.Transaction.RollbackAsync(cancellationToken);
                metrics.LoginRefused(statusRefusal!);
                return statusRefusal;
            default:
                await held.Transaction.RollbackAsync(cancellationToken);
                var refusal = await CountWrongPasswordAsync(held.Credential.MemberId, held.Now, cancellationToken);
                metrics.LoginRefused(refusal);
                return refusal;
        }
    }

    /// <summary>Counts a wrong password in its own transaction, on the credential row locked.</summary>
    private async Task<string> CountWrongPasswordAsync(Guid memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The wrong password was checked against this credential a moment ago; a credential is never deleted.
        var credential = await db.LockCredentialAsync(memberId, cancellationToken)
            ?? throw new InvalidOperationException($"The credential of member {memberId} is gone.");
        var answer = LoginPolicy.CountWrongPassword(credential, loginOptions.Value.Lockout, now);
        if (!answer.Counted)
        {
            return answer.Refusal;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (answer.LocksAccount)
        {
            LogLockedOut(logger, credential.MemberId);
        }

        return answer.Refusal;
    }

    /// <summary>A login written but not committed, waiting for its verdict.</summary>
    private sealed record HeldLogin(IDbContextTransaction Transaction, Credential Credential, Task<LoginVerdict> Verdict, DateTimeOffset Now);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member {MemberId} locked out after repeated failed passwords")]
    private static partial void LogLockedOut(ILogger logger, Guid memberId);
}

/// <summary>
/// Holds a token response until its password grant is concluded; a refused login's tokens, never sent, are replaced
/// by the refusal (<c>invalid_grant</c>, the reason in <c>error_description</c>).
/// </summary>
internal sealed class ConcludeLogin(PasswordGrant grant) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<ConcludeLogin>()
            .SetOrder(int.MinValue + 10_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (await grant.ConcludeAsync(tokensIssued: context.Response.Error is null, context.CancellationToken) is { } refusal)
        {
            context.Response = new OpenIddictResponse
            {
                Error = Errors.InvalidGrant,
                ErrorDescription = refusal,
            };
        }
    }
}
