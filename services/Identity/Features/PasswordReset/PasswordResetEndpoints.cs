using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;
using E164 = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Identity.Features.PasswordReset;

public sealed record StartPasswordResetRequest(string Phone);

public sealed record PasswordResetStarted(Guid ResetId, DateTimeOffset ExpiresAt);

public sealed record CompletePasswordResetRequest(string Code, string NewPassword);

internal sealed class StartPasswordResetValidator : AbstractValidator<StartPasswordResetRequest>
{
    public StartPasswordResetValidator()
    {
        RuleFor(r => r.Phone).NotNull();
        RuleFor(r => r.Phone).Must(p => E164.TryNormalize(p, out _)).When(r => r.Phone is not null)
            .WithErrorCode(ErrorCodes.InvalidPhone).WithMessage("phone is a number in international format, such as +254711234567.");
    }
}

internal sealed class CompletePasswordResetValidator : AbstractValidator<CompletePasswordResetRequest>
{
    public CompletePasswordResetValidator()
    {
        RuleFor(r => r.Code).NotNull().MaximumLength(20);
        RuleFor(r => r.NewPassword).NotNull();
        RuleFor(r => r.NewPassword).Must(PasswordPolicy.IsAcceptable).When(r => r.NewPassword is not null)
            .WithErrorCode(ErrorCodes.WeakPassword).WithMessage(PasswordPolicy.Weak.Detail);
    }
}

/// <summary>
/// A forgotten password, reset by a code to the phone. Asking gives the same answer whether or not someone
/// uses the phone (and counts against the same caps), so the endpoint tells nobody who is a member.
/// </summary>
internal static class PasswordResetEndpoints
{
    public static async Task<Results<Accepted<PasswordResetStarted>, ProblemHttpResult>> StartAsync(
        string slug,
        StartPasswordResetRequest request,
        HttpContext http,
        IdentityDbContext db,
        OtpSendLog otps,
        IOptions<OtpOptions> otpOptions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var organisation = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Slug == slug && o.VerifiedAt != null, cancellationToken);
        if (organisation is null)
        {
            return ApiProblem.NotFound("The organisation");
        }

        E164.TryNormalize(request.Phone, out var phone);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await otps.TryRecordAsync(phone, http.ClientIp(), cancellationToken) is { } wait)
        {
            return http.RateLimited(RateLimits.CodeCap, wait, "Too many codes were asked for.");
        }

        var memberId = await db.Credentials
            .Where(c => c.OrgId == organisation.Id && c.Phone == phone && c.RemovedAt == null)
            .Select(c => (Guid?)c.MemberId)
            .FirstOrDefaultAsync(cancellationToken);
        var options = otpOptions.Value;
        var reset = Domain.PasswordReset.Start(organisation.Id, memberId, options.CreateHasher(), options.Policy, time.GetUtcNow(), out var code);
        db.PasswordResets.Add(reset);
        if (memberId is not null)
        {
            otps.Send(organisation, phone, code, OtpPurposes.PasswordReset, reset.ExpiresAt);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/api/password-resets/{reset.Id}", new PasswordResetStarted(reset.Id, reset.ExpiresAt));
    }

    /// <summary>The right code sets the new password and ends every session of the member.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> CompleteAsync(
        Guid resetId,
        CompletePasswordResetRequest request,
        IdentityDbContext db,
        Passwords passwords,
        SessionRevoker sessions,
        IdentityMetrics metrics,
        IOptions<OtpOptions> otpOptions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var reset = await db.LockPasswordResetAsync(resetId, cancellationToken);
        if (reset is null)
        {
            return ApiProblem.NotFound("The password reset");
        }

        var now = time.GetUtcNow();
        var options = otpOptions.Value;
        var wasLocked = reset.Challenge.IsLocked;
        var refusal = reset.Complete(options.CreateHasher(), options.Policy, request.Code, now);
        var credential = refusal is null
            ? await db.Credentials.FirstOrDefaultAsync(c => c.MemberId == reset.MemberId && c.RemovedAt == null, cancellationToken)
            : null;
        if (credential is null)
        {
            await db.SaveChangesAsync(cancellationToken); // the failed try counts
            await transaction.CommitAsync(cancellationToken);
            refusal ??= new Refusal(RefusalKind.OtpExpired, "This reset is no longer valid; start a new one.");
            metrics.CodeRefused(OtpPurposes.PasswordReset, refusal, lockedNow: !wasLocked && reset.Challenge.IsLocked);
            return Problems.For(refusal);
        }

        credential.ChangePassword(passwords.Hash(request.NewPassword), now);
        await sessions.EndAllAsync(credential.OrgId, credential.MemberId, SessionEndReasons.PasswordReset, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.CodeVerified(OtpPurposes.PasswordReset);
        return TypedResults.NoContent();
    }
}
