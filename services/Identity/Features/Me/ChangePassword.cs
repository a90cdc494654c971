using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Identity.Features.Me;

public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);

internal sealed class ChangePasswordValidator : AbstractValidator<ChangePasswordRequest>
{
    public ChangePasswordValidator()
    {
        RuleFor(r => r.CurrentPassword).NotNull().MaximumLength(PasswordPolicy.MaxLength);
        RuleFor(r => r.NewPassword).NotNull();
        RuleFor(r => r.NewPassword).Must(PasswordPolicy.IsAcceptable).When(r => r.NewPassword is not null)
            .WithErrorCode(ErrorCodes.WeakPassword).WithMessage(PasswordPolicy.Weak.Detail);
    }
}

/// <summary>
/// A member changes their password; every other session ends (this one goes on). Wrong current passwords count
/// towards the same lockout as logins, so a stolen access token cannot be used to guess the password.
/// </summary>
internal static class ChangePasswordEndpoint
{
    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> HandleAsync(
        ChangePasswordRequest request,
        HttpContext http,
        IdentityDbContext db,
        Passwords passwords,
        SessionRevoker sessions,
        IOptions<LoginOptions> loginOptions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var credential = await MeEndpoints.ActorCredentialAsync(http, db, cancellationToken);
        if (credential is null)
        {
            return ApiProblem.NotFound("The member");
        }

        var now = time.GetUtcNow();
        if (credential.EnsureNotLockedOut(now) is not null)
        {
            return http.RateLimited(RateLimits.WrongPasswords, credential.LockedUntil!.Value - now, "Too many wrong passwords.");
        }

        if (!passwords.Verify(credential.PasswordHash, request.CurrentPassword, out _))
        {
            credential.RecordFailedLogin(loginOptions.Value.Lockout, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return ApiProblem.Validation(new Dictionary<string, string[]>
            {
                ["currentPassword"] = ["The current password is not right."],
            });
        }

        credential.ChangePassword(passwords.Hash(request.NewPassword), now);
        if (Guid.TryParse(http.User.SessionId(), out var current))
        {
            await sessions.EndOthersAsync(credential.MemberId, current, SessionEndReasons.PasswordChanged, cancellationToken);
        }
        else
        {
            await sessions.EndAllAsync(credential.OrgId, credential.MemberId, SessionEndReasons.PasswordChanged, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
