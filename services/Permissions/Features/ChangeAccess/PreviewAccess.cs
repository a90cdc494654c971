using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;

namespace TeamPlatform.Permissions.Features.ChangeAccess;

/// <summary>
/// One thing gained or lost (docs/permissions.md#preview). <c>change</c> is <c>status</c> (<c>from</c> → <c>to</c>),
/// <c>admin</c> (the toggle), <c>group_admin</c> (administering <c>groupId</c>), or <c>permission</c>: a toggle (the name alone), a level (<c>from</c> → <c>to</c>), every
/// group (<c>scope: all</c>) or one group (<c>scope: groups</c>, <c>groupId</c>, <c>groupName</c>).
/// </summary>
public sealed record AccessItemView(
    string Change,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Permission,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? GroupId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GroupName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? From,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? To);

/// <summary>What the change would be refused with: the code and words of the problem the <c>PUT</c> would answer.</summary>
public sealed record PreviewRefusal(string Code, string Detail);

/// <summary>What the member would gain and lose; <c>refusal</c> is null when the change would be made.</summary>
public sealed record AccessPreviewResponse(IReadOnlyList<AccessItemView> Gains, IReadOnlyList<AccessItemView> Losses, PreviewRefusal? Refusal);

/// <summary>
/// <c>POST /api/members/{id}/access/preview</c> — the <c>PUT</c>'s body and authority; the change is made exactly as the
/// <c>PUT</c> makes it, under the organisation's lock, and rolled back: nothing saved, no revision, no audit, no event.
/// A refused change still shows what was asked, beside the refusal; a document that breaks the document rules shows
/// nothing but the refusal, since it asks for no access.
/// </summary>
public static class PreviewAccessEndpoint
{
    public static Task<Results<Ok<AccessPreviewResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        AccessDocument document,
        ClaimsPrincipal user,
        OrganisationWrite write,
        CancellationToken cancellationToken) =>
        write.PreviewAsync(user, TeamPolicy.EnsureMayManageMembers, (change, ct) => PreviewAsync(change, id, document, ct), cancellationToken);

    /// <summary>What <paramref name="document"/> would do to the member, tried inside the preview's transaction.</summary>
    internal static async Task<ChangeOutcome<AccessPreviewResponse>> PreviewAsync(
        OrganisationChange change, Guid id, AccessDocument document, CancellationToken cancellationToken)
    {
        var attempt = await AccessAttempt.MakeAsync(change, id, document, cancellationToken);
        if (attempt.Value is not { } made)
        {
            return attempt.Problem!;
        }

        var diff = made.Refusal switch
        {
            null => AccessDiff.Between(made.Change.Before, made.Change.After),
            { Kind: RefusalKind.Invalid } => AccessDiff.None,
            _ => Organisation.Requested(made.Target, document, out var requested) is null ? AccessDiff.Between(made.Before, requested) : AccessDiff.None,
        };

        var groups = diff.Gains.Concat(diff.Losses).Select(item => item.GroupId).OfType<Guid>();
        var names = await change.Db.GroupNamesAsync(change.OrgId, groups, cancellationToken);
        return new AccessPreviewResponse(
            Views(diff.Gains, names),
            Views(diff.Losses, names),
            made.Refusal is { } refusal ? new PreviewRefusal(Problems.CodeOf(refusal), refusal.Detail) : null);
    }

    /// <summary>In the diff's order (status, admin, the catalogue's order); the groups of one permission by name.</summary>
    private static List<AccessItemView> Views(IReadOnlyList<AccessItem> items, IReadOnlyDictionary<Guid, string> names)
    {
        var firstGroupItem = new Dictionary<Permission, int>();
        var placed = new List<(int Position, string? Name, AccessItem Item)>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var position = item is { Kind: AccessItemKind.Permission, GroupId: not null, Permission: { } permission } && !firstGroupItem.TryAdd(permission, i)
                ? firstGroupItem[permission]
                : i;
            placed.Add((position, item.GroupId is { } group ? names.GetValueOrDefault(group) : null, item));
        }

        return placed
            .OrderBy(x => x.Position)
            .ThenBy(x => x.Name, StringComparer.OrdinalIgnoreCase)
            .Select(x => View(x.Item, x.Name))
            .ToList();
    }

    private static AccessItemView View(AccessItem item, string? groupName) => item.Kind switch
    {
        AccessItemKind.Status => new AccessItemView(
            "status", null, null, null, null, MemberStatusNames.NameOf(item.FromStatus!.Value), MemberStatusNames.NameOf(item.ToStatus!.Value)),
        AccessItemKind.Admin => new AccessItemView("admin", null, null, null, null, null, null),
        AccessItemKind.GroupAdmin => new AccessItemView("group_admin", null, null, item.GroupId, groupName, null, null),
        _ => new AccessItemView(
            "permission",
            Catalogue.NameOf(item.Permission!.Value),
            item.Scope switch { GroupScope.All => "all", GroupScope.Groups => "groups", _ => null },
            item.GroupId,
            groupName,
            item.FromLevel is { } from ? LevelName(from) : null,
            item.ToLevel is { } to ? LevelName(to) : null),
    };

    private static string LevelName(Level level) => level switch
    {
        Level.View => "view",
        Level.Create => "create",
        _ => "none",
    };
}
