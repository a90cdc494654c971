using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Identity.Features.ResendCode;

public sealed record CodeResent(DateTimeOffset ExpiresAt);

/// <summary>A new code for a registration: the only way out of a locked challenge, at most once per cooldown.</summary>
internal static class ResendCodeEndpoint
{
    public static async Task<Results<Accepted<CodeResent>, ProblemHttpResult>> Handle(
        Guid id,
        HttpContext http,
        IdentityDbContext db,
        OtpSendLog otps,
        IOptions<OtpOptions> otpOptions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var registration = await db.LockRegistrationAsync(id, cancellationToken);
        var organisation = registration is null ? null : await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == registration.OrgId, cancellationToken);
        if (registration is null || organisation is null)
        {
            return ApiProblem.NotFound("The registration");
        }

        var options = otpOptions.Value;
        var outcome = registration.Resend(options.CreateHasher(), options.Policy, time.GetUtcNow());
        if (outcome.Error is { } refused)
        {
            return refused.Code == ErrorCodes.RateLimited
                ? http.RateLimited(outcome.RetryAfter, "A code was sent moments ago.")
                : refused.ToProblem();
        }

        if (await otps.TryRecordAsync(registration.Phone, http.ClientIp(), cancellationToken) is { } wait)
        {
            return http.RateLimited(wait, "Too many codes were asked for.");
        }

        otps.Send(organisation, registration.Phone, outcome.Code!, OtpPurposes.Registration, registration.Challenge.ExpiresAt);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/api/registrations/{registration.Id}", new CodeResent(registration.Challenge.ExpiresAt));
    }
}
