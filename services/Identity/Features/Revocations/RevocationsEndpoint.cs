using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;

namespace TeamPlatform.Identity.Features.Revocations;

/// <summary>
/// <c>GET /internal/sessions/revocations</c>: what a gateway loads at start — every revocation whose access
/// tokens may still be alive (issued within the longest access-token lifetime, plus the validators' clock skew).
/// </summary>
internal static class RevocationsEndpoint
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    public static async Task<RevocationsResponse> HandleAsync(
        IdentityDbContext db, IOptions<TokenOptions> tokens, TimeProvider time, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - tokens.Value.AccessTokenLifetime - ClockSkew;
        var items = await db.SessionRevocations.AsNoTracking()
            .Where(r => r.RevokedBefore > since)
            .OrderBy(r => r.RevokedBefore)
            .Select(r => new RevocationItem(r.MemberId, r.SessionId, r.RevokedBefore))
            .ToListAsync(cancellationToken);
        return new RevocationsResponse(items);
    }
}
