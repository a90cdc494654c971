using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Permissions.Infrastructure.Snapshots;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Permissions.Features.CheckPermissions;

/// <summary>One step of an explanation: a stable code to branch on and a sentence to read.</summary>
public sealed record ExplainStep(string Code, string Text);

/// <summary><c>allowed</c> and <c>reason</c> are the check's answer to the same question; <c>steps</c> the path that led there.</summary>
public sealed record ExplainResponse(bool Allowed, string Reason, IReadOnlyList<ExplainStep> Steps, long Revision);

/// <summary>
/// <c>GET /api/members/{id}/explain?permission=&amp;action=&amp;groupId=&amp;conversationId=&amp;minRevision=</c>
/// (docs/permissions.md#explain): the check's question, answered by the evaluator on the same snapshot, with every step it took.
/// A member explains their own answers; explaining another member's needs <c>admin_settings</c>.
/// </summary>
public static class ExplainCheckEndpoint
{
    /// <summary>Fewer than a check's 1,000: a question in a URL stays well within the length a request line may have.</summary>
    public const int MaxGroupIds = 100;

    public static async Task<Results<Ok<ExplainResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        PermissionDbContext db,
        SnapshotCache snapshots,
        TimeProvider time,
        [FromQuery] string? permission,
        [FromQuery] string? action,
        [FromQuery] Guid[]? groupId,
        [FromQuery] string? conversationId,
        [FromQuery] long? minRevision,
        CancellationToken cancellationToken)
    {
        var actor = await db.ActorAsync(user, cancellationToken);
        if (actor is null || (actor.Id != id && !TeamPolicy.MayManageTeam(actor)))
        {
            return ApiProblem.Forbidden("Another member's answers are explained to those with admin_settings.");
        }

        if (groupId is { Length: > MaxGroupIds })
        {
            return ApiProblem.Validation($"groupId names at most {MaxGroupIds} groups.");
        }

        // A query string cannot tell "no groups" from an empty list: both are no group named, as in a check without groupIds.
        var groups = groupId is { Length: > 0 } ? groupId : null;
        if (CheckQueries.Parse(permission, action, groups, conversationId, minRevision, out var check) is { } invalid)
        {
            return invalid;
        }

        var snapshot = await snapshots.GetAsync(actor.OrgId, minRevision ?? 0, cancellationToken);
        var member = snapshot is null ? null : await snapshots.MemberAsync(snapshot, id, cancellationToken);
        if (member is null)
        {
            return Problems.MemberNotFound;
        }

        // Which access answers is chosen by the clock before the evaluator runs: said first, when the access is time-bound.
        var stored = snapshot!.Member(id);
        var now = time.GetUtcNow();
        var trace = new StepRecorder();
        var decision = Evaluator.Evaluate(
            member, new CheckQuery(check.Permission, check.Action, check.GroupIds, snapshot!.Conversation(check.ConversationId)), ref trace);

        var username = actor.Id == id
            ? actor.Username
            : await db.Members.AsNoTracking().Where(m => m.Id == id && m.OrgId == actor.OrgId).Select(m => m.Username).SingleOrDefaultAsync(cancellationToken);
        var named = new List<Guid>();
        foreach (var step in trace.Steps)
        {
            named.AddRange(step switch
            {
                ScopeStep scope => scope.Grant.Groups,
                GroupsAskedStep asked => asked.Asked,
                _ => [],
            });
        }

        var sentences = new ExplainSentences(username ?? "The member", check, await db.GroupNamesAsync(actor.OrgId, named, cancellationToken));
        var steps = new List<ExplainStep>(trace.Steps.Length + 1);
        foreach (var step in trace.Steps)
        {
            steps.Add(new ExplainStep(StepCodes.NameOf(step.Code), sentences.Of(step)));
        }
        if (stored is { ExpiresAt: { } expiresAt, Lapsed: not null })
        {
            steps.Insert(0, sentences.TimeBound(expiresAt, ended: expiresAt <= now));
        }

        return TypedResults.Ok(new ExplainResponse(decision.Allowed, Reasons.NameOf(decision.Reason), steps, snapshot.Revision));
    }
}
