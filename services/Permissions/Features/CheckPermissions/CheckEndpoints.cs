using System.Runtime.InteropServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure.Snapshots;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Permissions.Features.CheckPermissions;

public sealed record CheckResponse(bool Allowed, string Reason, long Revision);

public sealed record CheckBatchRequest(IReadOnlyList<CheckRequest>? Checks);

public sealed record CheckResult(bool Allowed, string Reason);

public sealed record CheckBatchResponse(IReadOnlyList<CheckResult> Results, long Revision);

public sealed record FilterRequest(Guid? MemberId, Guid? OrgId, string? Permission, string? Action, Guid[]? GroupIds, long? MinRevision);

public sealed record FilterResponse(IReadOnlyList<Guid> GroupIds, long Revision);

/// <summary>
/// The check API (docs/permissions.md#checks): answered from this replica's snapshot of the organisation, never from older
/// state than <c>minRevision</c>. Every answer carries the revision it reflects.
/// </summary>
public static class CheckEndpoints
{
    public const int MaxBatch = 1000;

    /// <summary><c>POST /api/permissions/check</c>.</summary>
    public static async Task<Results<Ok<CheckResponse>, ProblemHttpResult>> CheckAsync(
        CheckRequest request, ClaimsPrincipal user, SnapshotCache snapshots, CancellationToken cancellationToken)
    {
        if (CheckQueries.ResolveSubject(user, request.OrgId, request.MemberId, out var orgId, out var memberId) is { } refused)
        {
            return refused;
        }

        if (CheckQueries.Parse(request.Permission, request.Action, request.GroupIds, request.ConversationId, request.MinRevision, out var check) is { } invalid)
        {
            return invalid;
        }

        var snapshot = await snapshots.GetAsync(orgId, request.MinRevision ?? 0, cancellationToken);
        var member = snapshot is null ? null : await snapshots.MemberAsync(snapshot, memberId, cancellationToken);
        if (member is null)
        {
            return ApiProblem.NotFound("The member");
        }

        var decision = Evaluate(snapshot!, member, check);
        return TypedResults.Ok(new CheckResponse(decision.Allowed, Reasons.NameOf(decision.Reason), snapshot!.Revision));
    }

    /// <summary><c>POST /api/permissions/check-batch</c> — up to 1,000 checks about one organisation, answered in order.</summary>
    public static async Task<Results<Ok<CheckBatchResponse>, ProblemHttpResult>> CheckBatchAsync(
        CheckBatchRequest request, ClaimsPrincipal user, SnapshotCache snapshots, CancellationToken cancellationToken)
    {
        if (request.Checks is not { Count: > 0 and <= MaxBatch } checks)
        {
            return ApiProblem.Validation($"checks holds 1 to {MaxBatch} checks.");
        }

        var subjects = new (Guid Member, ParsedCheck Check)[checks.Count];
        Guid? orgId = null;
        long minRevision = 0;
        for (var i = 0; i < checks.Count; i++)
        {
            var item = checks[i];
            if (item is null)
            {
                return ApiProblem.Validation($"checks[{i}] is missing.");
            }

            if (CheckQueries.ResolveSubject(user, item.OrgId, item.MemberId, out var org, out var member) is { } refused)
            {
                return refused;
            }

            if (CheckQueries.Parse(item.Permission, item.Action, item.GroupIds, item.ConversationId, item.MinRevision, out var check) is { } invalid)
            {
                invalid.ProblemDetails.Detail = $"checks[{i}]: {invalid.ProblemDetails.Detail}";
                return invalid;
            }

            if (orgId is not null && orgId != org)
            {
                return ApiProblem.Validation("Every check of a batch is about one organisation.");
            }

            orgId = org;
            minRevision = Math.Max(minRevision, item.MinRevision ?? 0);
            subjects[i] = (member, check);
        }

        var snapshot = await snapshots.GetAsync(orgId!.Value, minRevision, cancellationToken);
        if (snapshot is null)
        {
            return ApiProblem.NotFound("The organisation");
        }

        var results = new CheckResult[subjects.Length];
        for (var i = 0; i < subjects.Length; i++)
        {
            var member = await snapshots.MemberAsync(snapshot, subjects[i].Member, cancellationToken);
            if (member is null)
            {
                return ApiProblem.Of(ErrorCodes.NotFound, $"checks[{i}]: the member was not found.");
            }

            var decision = Evaluate(snapshot, member, subjects[i].Check);
            results[i] = new CheckResult(decision.Allowed, Reasons.NameOf(decision.Reason));
        }

        return TypedResults.Ok(new CheckBatchResponse(results, snapshot.Revision));
    }

    /// <summary><c>POST /api/permissions/filter</c> — which of these groups the member may act on, in the order given.</summary>
    public static async Task<Results<Ok<FilterResponse>, ProblemHttpResult>> FilterAsync(
        FilterRequest request, ClaimsPrincipal user, SnapshotCache snapshots, CancellationToken cancellationToken)
    {
        if (CheckQueries.ResolveSubject(user, request.OrgId, request.MemberId, out var orgId, out var memberId) is { } refused)
        {
            return refused;
        }

        if (request.GroupIds is not { Length: > 0 })
        {
            return ApiProblem.Validation("groupIds names the groups to filter.");
        }

        if (CheckQueries.Parse(request.Permission, request.Action, request.GroupIds, null, request.MinRevision, out var check) is { } invalid)
        {
            return invalid;
        }

        var snapshot = await snapshots.GetAsync(orgId, request.MinRevision ?? 0, cancellationToken);
        var member = snapshot is null ? null : await snapshots.MemberAsync(snapshot, memberId, cancellationToken);
        if (member is null)
        {
            return ApiProblem.NotFound("The member");
        }

        var allowed = new List<Guid>();
        foreach (var group in check.GroupIds.Distinct())
        {
            var one = group;
            if (Evaluator.Evaluate(member, new CheckQuery(check.Permission, check.Action, MemoryMarshal.CreateReadOnlySpan(ref one, 1))).Allowed)
            {
                allowed.Add(group);
            }
        }

        return TypedResults.Ok(new FilterResponse(allowed, snapshot!.Revision));
    }

    /// <summary><c>POST /internal/permissions/check</c> — invitation, notification, identity: the public semantics, plus the member's status.</summary>
    public static async Task<Results<Ok<PermissionCheckResponse>, ProblemHttpResult>> InternalCheckAsync(
        PermissionCheckRequest request, SnapshotCache snapshots, CancellationToken cancellationToken)
    {
        if (request.OrgId == Guid.Empty || request.MemberId == Guid.Empty)
        {
            return ApiProblem.Validation("orgId and memberId are required.");
        }

        if (CheckQueries.Parse(request.Permission, request.Action, request.GroupIds, request.ConversationId, request.MinRevision, out var check) is { } invalid)
        {
            return invalid;
        }

        var snapshot = await snapshots.GetAsync(request.OrgId, request.MinRevision ?? 0, cancellationToken);
        var member = snapshot is null ? null : await snapshots.MemberAsync(snapshot, request.MemberId, cancellationToken);
        if (member is null)
        {
            return ApiProblem.NotFound("The member");
        }

        var decision = Evaluate(snapshot!, member, check);
        return TypedResults.Ok(new PermissionCheckResponse(
            decision.Allowed, Reasons.NameOf(decision.Reason), snapshot!.Revision, MemberStatusNames.NameOf(member.Status), member.IsAdmin));
    }

    private static Decision Evaluate(OrganisationSnapshot snapshot, MemberGrant member, ParsedCheck check) =>
        Evaluator.Evaluate(member, new CheckQuery(check.Permission, check.Action, check.GroupIds, snapshot.Conversation(check.ConversationId)));
}
