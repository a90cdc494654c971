using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions.Features.CheckPermissions;

/// <summary>One check as callers send it (docs/permissions.md#checks); <c>orgId</c> and <c>memberId</c> are for services.</summary>
public sealed record CheckRequest(
    Guid? MemberId,
    Guid? OrgId,
    string? Permission,
    string? Action,
    Guid[]? GroupIds,
    string? ConversationId,
    long? MinRevision);

/// <summary>A check's question, validated against the catalogue.</summary>
public readonly record struct ParsedCheck(Permission Permission, PermissionAction Action, Guid[] GroupIds, string? ConversationId);

/// <summary>Who a check is about, and whether the question makes sense (docs/permissions.md#refusals).</summary>
public static class CheckQueries
{
    public const string ServiceScope = "permissions.check";
    public const int MaxGroupIds = 1000;

    /// <summary>
    /// A member asks about themselves (naming another member or organisation is refused); a service with the
    /// <c>permissions.check</c> scope names the organisation and the member.
    /// </summary>
    public static ProblemHttpResult? ResolveSubject(ClaimsPrincipal user, Guid? orgId, Guid? memberId, out Guid subjectOrg, out Guid subjectMember)
    {
        subjectOrg = Guid.Empty;
        subjectMember = Guid.Empty;
        if (user.MemberId() is { } self && user.OrgId() is { } own)
        {
            if ((memberId is { } member && member != self) || (orgId is { } org && org != own))
            {
                return ApiProblem.Forbidden("A member checks only their own permissions.");
            }

            (subjectOrg, subjectMember) = (own, self);
            return null;
        }

        if (!user.IsService() || !user.HasScope(ServiceScope))
        {
            return ApiProblem.Forbidden($"Checks need a member's token or a service token with the {ServiceScope} scope.");
        }

        if (orgId is not { } namedOrg || namedOrg == Guid.Empty || memberId is not { } namedMember || namedMember == Guid.Empty)
        {
            return ApiProblem.Validation("A service names orgId and memberId.");
        }

        (subjectOrg, subjectMember) = (namedOrg, namedMember);
        return null;
    }

    public static ProblemHttpResult? Parse(
        string? permissionName, string? actionName, Guid[]? groupIds, string? conversationId, long? minRevision, out ParsedCheck check)
    {
        check = default;
        if (!Catalogue.TryParse(permissionName, out var permission))
        {
            return ApiProblem.Validation($"'{permissionName}' is not a permission of the catalogue.");
        }

        if (!Catalogue.TryParseAction(actionName, out var action) || !Catalogue.TryResolve(permission, action, out action))
        {
            var actions = Catalogue.ActionsOf(permission);
            return ApiProblem.Validation(actions.Count == 0
                ? $"{permissionName} is on or off: it takes no action."
                : $"{permissionName} has the actions {string.Join(", ", actions.Select(Catalogue.NameOf))}.");
        }

        if (groupIds is not null && Catalogue.KindOf(permission) != PermissionKind.GroupScoped)
        {
            return ApiProblem.Validation($"{permissionName} is not group-scoped: groupIds does not apply.");
        }

        if (groupIds is { Length: > MaxGroupIds })
        {
            return ApiProblem.Validation($"groupIds names at most {MaxGroupIds} groups.");
        }

        if (conversationId is not null)
        {
            if (permission != Permission.ExplorerConversations)
            {
                return ApiProblem.Validation("conversationId applies only to explorer_conversations.");
            }

            if (Domain.ConversationVisibility.CheckConversationId(conversationId) is { } invalid)
            {
                return Problems.For(invalid);
            }
        }

        if (minRevision < 0)
        {
            return ApiProblem.Validation("minRevision is 0 or more.");
        }

        check = new ParsedCheck(permission, action, groupIds ?? [], conversationId);
        return null;
    }
}
