using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Identity.Features.ResendCode;

public sealed record CodeResent(DateTimeOffset ExpiresAt);

/// <summary>A new code for a registration: the only way out of a locked challenge, at most once per cooldown.</summary>
internal static class ResendCodeEndpoint
{
    public static async Task<Results<Accepted<CodeResent>, ProblemHttpResult>> HandleAsync(
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
        var now = time.GetUtcNow();
        if (registration.Resend(options.CreateHasher(), options.Policy, now, out var code) is { } refused)
        {
            return refused.Kind == RefusalKind.TooSoon
                ? http.RateLimited(RateLimits.ResendCooldown, registration.Challenge.ResendWait(options.Policy, now), "A code was sent moments ago.")
                : Problems.For(refused);
        }

        if (await otps.TryRecordAsync(registration.Phone, http.ClientIp(), cancellationToken) is { } wait)
        {
            return http.RateLimited(RateLimits.CodeCap, wait, "Too many codes were asked for.");
        }

        otps.Send(organisation, registration.Phone, code, OtpPurposes.Registration, registration.Challenge.ExpiresAt);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/api/registrations/{registration.Id}", new CodeResent(registration.Challenge.ExpiresAt));
    }
}
