using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Permissions.Features.CheckInvitation;

/// <summary>
/// <c>POST /internal/orgs/{orgId}/invitation-checks/batch</c> — invitation, for a bulk upload: the single check's
/// rules for every row, with two queries in all (the groups the rows name, the phones that belong to members).
/// Groups are named by id or by name; the answer carries ids only.
/// </summary>
public static class CheckInvitationBatchEndpoint
{
    public const int MaxRows = 1000;

    /// <summary>A thousand rows naming groups by name outgrow the 64 KiB every other route allows.</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    public static async Task<Results<Ok<InvitationBatchCheckResponse>, ProblemHttpResult>> HandleAsync(
        Guid orgId,
        InvitationBatchCheckRequest request,
        PermissionDbContext db,
        CancellationToken cancellationToken)
    {
        var actor = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == request.ActorId && m.OrgId == orgId, cancellationToken);
        if (actor is null || !TeamPolicy.MayManageTeam(actor))
        {
            return Problems.For(TeamPolicy.NotTeamManager);
        }

        if (request.Rows is not { Count: > 0 and <= MaxRows } rows || rows.Any(row => row is null))
        {
            return ApiProblem.Validation($"rows must hold 1 to {MaxRows} rows.");
        }

        var references = rows.SelectMany(r => r.Groups ?? []).Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim()).Distinct().ToList();
        var ids = references.Select(r => Guid.TryParse(r, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        var keys = references.Select(Group.KeyOf).Distinct().ToList();
        var groups = references.Count == 0
            ? []
            : await db.Groups.AsNoTracking()
                .Where(g => g.OrgId == orgId && (ids.Contains(g.Id) || keys.Contains(g.NameKey)))
                .Select(g => new { g.Id, g.NameKey })
                .ToListAsync(cancellationToken);
        var groupIds = groups.Select(g => g.Id).ToHashSet();
        var groupsByName = groups.ToDictionary(g => g.NameKey, g => g.Id);

        var phones = rows.Select(r => Phones.TryNormalize(r.Phone, out var phone) ? phone : null).OfType<string>().Distinct().ToList();
        var memberPhones = (await db.Members.AsNoTracking()
                .Where(m => m.OrgId == orgId && phones.Contains(m.Phone) && m.Status != MemberStatus.Removed)
                .Select(m => m.Phone)
                .ToListAsync(cancellationToken))
            .ToHashSet();

        Guid? GroupOf(string reference) =>
            Guid.TryParse(reference, out var id) && groupIds.Contains(id) ? id
            : groupsByName.TryGetValue(Group.KeyOf(reference), out var named) ? named
            : null;

        var results = rows.Select(row => InvitationRows.Check(actor, row, GroupOf, memberPhones)).ToList();
        return TypedResults.Ok(new InvitationBatchCheckResponse(actor.Username, results));
    }
}

/// <summary>One row of a bulk invitation judged as a single invitation of that phone and access would be.</summary>
public static class InvitationRows
{
    /// <param name="actor">Who invites; already known to be allowed to manage the team.</param>
    /// <param name="groupOf">The id of the group a reference (an id or a name) names; null when the organisation has none.</param>
    /// <param name="memberPhones">The phones (E.164) that belong to members who are not removed.</param>
    public static InvitationBatchResult Check(Member actor, InvitationBatchRow row, Func<string, Guid?> groupOf, IReadOnlySet<string> memberPhones)
    {
        if (!Phones.TryNormalize(row.Phone, out var phone))
        {
            return Refused(InvitationRowOutcomes.InvalidPhone, ErrorCodes.InvalidPhone, "phone must be a valid number in E.164.");
        }

        if (!Roles.TryParse(row.Preset, out _, out _))
        {
            return Refused(InvitationRowOutcomes.UnknownPreset, ErrorCodes.ValidationFailed, $"preset must be one of {string.Join(", ", Roles.All)}.");
        }

        var groups = new List<Guid>();
        foreach (var reference in (row.Groups ?? []).Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim()))
        {
            if (groupOf(reference) is not { } id)
            {
                return Refused(InvitationRowOutcomes.UnknownGroup, ErrorCodes.ValidationFailed, $"The organisation has no group {reference}.");
            }

            groups.Add(id);
        }

        var document = new AccessDocument { Role = row.Preset, GroupIds = groups.Count == 0 ? null : groups.Distinct().ToList() };
        if (InvitationPolicy.CheckAccess(actor, document, groups.ToHashSet(), out var access) is { } refusal)
        {
            return refusal.Kind == RefusalKind.Escalation
                ? Refused(InvitationRowOutcomes.Escalation, ErrorCodes.Escalation, refusal.Detail)
                : Refused(InvitationRowOutcomes.InvalidAccess, ErrorCodes.ValidationFailed, refusal.Detail);
        }

        return memberPhones.Contains(phone)
            ? Refused(InvitationRowOutcomes.AlreadyMember, ErrorCodes.AlreadyMember, InvitationPolicy.AlreadyMemberDetail)
            : new InvitationBatchResult(InvitationRowOutcomes.Invite, null, null, AccessDocument.From(access).ToJson());
    }

    private static InvitationBatchResult Refused(string outcome, string code, string detail) => new(outcome, code, detail, null);
}
