using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Invitations.Features.BulkInvitations;

/// <summary>
/// <c>POST /api/invitations/bulk</c>: up to 1,000 phones to invite, each row judged as one invitation would be (one
/// batch check of the permission service for all of them). <c>?dryRun=true</c> answers what would happen and writes
/// nothing; a real run needs an <c>Idempotency-Key</c>, stores the rows and answers <c>202</c> at once, and
/// <see cref="BulkInvitationSender"/> sends them at the organisation's rate (decision 0304).
/// </summary>
public static class SubmitBulkInvitationEndpoint
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static async Task<Results<Ok<BulkDryRunResponse>, Accepted<BulkInvitationResponse>, ProblemHttpResult>> HandleAsync(
        HttpContext http,
        ClaimsPrincipal user,
        [FromQuery] bool? dryRun,
        [FromQuery] bool? replace,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        InvitationDbContext db,
        PermissionClient permission,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (user.Actor() is not { } actor)
        {
            return ApiProblem.Forbidden("Invitations are sent by members of an organisation.");
        }

        var isDryRun = dryRun == true;
        var replaceOpen = replace == true;
        var key = idempotencyKey?.Trim();
        if (!isDryRun && string.IsNullOrEmpty(key))
        {
            return ApiProblem.Validation($"A bulk invitation needs an {IdempotencyKeyHeader} header (any unique text, kept 24 hours), or dryRun=true.");
        }

        if (key is { Length: > BulkInvitation.MaxIdempotencyKeyLength })
        {
            return ApiProblem.Validation($"{IdempotencyKeyHeader} is at most {BulkInvitation.MaxIdempotencyKeyLength} characters.");
        }

        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == actor.OrgId, cancellationToken);
        if (organisation is null)
        {
            http.Response.Headers.RetryAfter = "2";
            return ApiProblem.Of(ErrorCodes.ServiceUnavailable, "This organisation is not known to the invitation service yet; try again in a moment.", 503);
        }

        var (uploaded, unreadable) = await BulkUpload.ReadAsync(http.Request, cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }

        var rows = uploaded!;
        var requestHash = HashOf(rows, replaceOpen);
        if (!isDryRun && await KnownAsync(db, actor.OrgId, key!, requestHash, time, cancellationToken) is { } known)
        {
            // A retry is answered without a new check of its rows, but only to someone who may still invite.
            return await permission.IsAllowedAsync(actor.OrgId, actor.MemberId, PermissionClient.AdminSettings, cancellationToken)
                ? known
                : ApiProblem.Forbidden("Inviting needs admin_settings.");
        }

        var screened = BulkPlan.Screen(rows, organisation.ChatbotPhone);
        var toCheck = screened.Select((judged, index) => (judged, index)).Where(r => r.judged is null).Select(r => r.index).ToList();
        var checks = new Dictionary<int, InvitationBatchResult>();
        if (toCheck.Count == 0)
        {
            // Nothing for the batch check to judge; the upload still needs the authority it would have asked for.
            if (!await permission.IsAllowedAsync(actor.OrgId, actor.MemberId, PermissionClient.AdminSettings, cancellationToken))
            {
                return ApiProblem.Forbidden("Inviting needs admin_settings.");
            }
        }
        else
        {
            var request = new InvitationBatchCheckRequest(
                actor.MemberId, toCheck.Select(i => new InvitationBatchRow(rows[i].Phone, rows[i].Preset, rows[i].Groups)).ToList());
            var answer = await permission.CheckInvitationsAsync(actor.OrgId, request, cancellationToken);
            if (answer.Refusal is { } refusal)
            {
                return refusal.ToProblem();
            }

            foreach (var (index, result) in toCheck.Zip(answer.Value!.Rows))
            {
                checks[index] = result;
            }
        }

        var phones = toCheck.Select(i => Normalized(rows[i].Phone)).ToList();
        var openPhones = (await db.Invitations.AsNoTracking()
                .Where(i => i.OrgId == actor.OrgId && phones.Contains(i.Phone) && i.AcceptedAt == null && i.RevokedAt == null)
                .Select(i => i.Phone)
                .ToListAsync(cancellationToken))
            .ToHashSet();
        var judged = rows.Select((row, index) => screened[index] ?? BulkPlan.Judge(
                row, Normalized(row.Phone), checks[index], openPhones.Contains(Normalized(row.Phone)), replaceOpen))
            .ToList();

        if (isDryRun)
        {
            return TypedResults.Ok(BulkDryRunResponse.Of(judged));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Two uploads with one key at once: the second waits here and then answers the first one's bulk invitation.
        await db.LockIdempotencyKeyAsync(actor.OrgId, key!, cancellationToken);
        if (await KnownAsync(db, actor.OrgId, key!, requestHash, time, cancellationToken) is { } raced)
        {
            return raced;
        }

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var bulk = BulkInvitation.Submit(
            id,
            actor.OrgId,
            actor.MemberId,
            key!,
            requestHash,
            replaceOpen,
            judged.Select(r => BulkInvitationRow.Of(
                id, r.Row.Number, actor.OrgId, r.Phone, r.Row.Preset, r.Row.Groups, r.Outcome, r.Code, r.Detail, waiting: r.ToInvite, now)),
            now);
        db.BulkInvitations.Add(bulk);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Accepted(BulkInvitationResponse.LocationOf(bulk.Id), BulkInvitationResponse.Of(bulk));
    }

    /// <summary>
    /// The answer to an upload under a key the organisation used in the last 24 hours: its bulk invitation when the
    /// upload is the same, a refusal when it is not; null for a key not used in that time.
    /// </summary>
    private static async Task<Results<Ok<BulkDryRunResponse>, Accepted<BulkInvitationResponse>, ProblemHttpResult>?> KnownAsync(
        InvitationDbContext db, Guid orgId, string key, byte[] requestHash, TimeProvider time, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - BulkInvitation.IdempotencyWindow;
        var known = await db.BulkInvitations.AsNoTracking()
            .Include(b => b.Rows)
            .Where(b => b.OrgId == orgId && b.IdempotencyKey == key && b.CreatedAt > since)
            .OrderByDescending(b => b.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (known is null)
        {
            return null;
        }

        return known.IsSameRequest(requestHash)
            ? TypedResults.Accepted(BulkInvitationResponse.LocationOf(known.Id), BulkInvitationResponse.Of(known))
            : ApiProblem.Of(
                ErrorCodes.IdempotencyKeyReused,
                $"This {IdempotencyKeyHeader} was used in the last 24 hours for another upload; use a new key for a new upload.");
    }

    /// <summary>The rows as read and the replace flag: CSV and JSON of the same rows are the same upload.</summary>
    private static byte[] HashOf(IReadOnlyList<UploadedRow> rows, bool replace) =>
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { replace, rows }));

    private static string Normalized(string phone) => Phones.TryNormalize(phone, out var e164) ? e164 : phone;
}
