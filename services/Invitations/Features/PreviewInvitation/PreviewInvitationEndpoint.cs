using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.Invitations.Infrastructure;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Invitations.Features.PreviewInvitation;

/// <param name="OrganisationSlug">Where to register: <c>POST /api/orgs/{slug}/registrations</c> with the token.</param>
/// <param name="Phone">Masked: whoever holds the link learns only which number it is for, not the number.</param>
/// <param name="Access">The preset and how many groups it names: never the groups' names, which a forwarded link would leak.</param>
public sealed record InvitationPreview(
    string OrganisationName,
    string OrganisationSlug,
    string InviterUsername,
    string Phone,
    DateTimeOffset ExpiresAt,
    InvitationStatus Status,
    AccessSummary Access);

/// <param name="Role"><c>admin</c> when the admin toggle is on, else the preset (<c>manager</c>, <c>staff</c>, <c>custom</c>).</param>
public sealed record AccessSummary(string Role, int GroupCount)
{
    /// <summary>Reads the access document the permission service normalised: staff groups and every group-scoped grant's groups.</summary>
    public static AccessSummary Of(string access)
    {
        using var document = JsonDocument.Parse(access);
        var root = document.RootElement;
        var isAdmin = root.TryGetProperty("isAdmin", out var admin) && admin.ValueKind == JsonValueKind.True;
        var role = isAdmin ? "admin" : root.TryGetProperty("role", out var preset) ? preset.GetString() ?? "custom" : "custom";
        var groups = new HashSet<string>(StringComparer.Ordinal);
        AddGroups(root, groups);
        if (root.TryGetProperty("permissions", out var permissions) && permissions.ValueKind == JsonValueKind.Object)
        {
            foreach (var grant in permissions.EnumerateObject())
            {
                AddGroups(grant.Value, groups);
            }
        }

        return new AccessSummary(role, groups.Count);
    }

    private static void AddGroups(JsonElement element, HashSet<string> groups)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("groupIds", out var ids) && ids.ValueKind == JsonValueKind.Array)
        {
            groups.UnionWith(ids.EnumerateArray().Select(id => id.GetString() ?? ""));
        }
    }
}

/// <summary>
/// <c>GET /api/invitations/preview/{token}</c>, anonymous: what an invitee sees on opening the link, before
/// having any account.
/// </summary>
public static class PreviewInvitationEndpoint
{
    public const string Segment = "/preview";

    public static async Task<Results<Ok<InvitationPreview>, ProblemHttpResult>> HandleAsync(
        string token,
        InvitationDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!InvitationTokens.TryHash(token, out var hash))
        {
            return Problems.InvitationNotFound;
        }

        var found = await db.Invitations.AsNoTracking()
            .Where(i => i.TokenHash == hash)
            .Join(db.Organisations, i => i.OrgId, o => o.Id, (invitation, organisation) => new { invitation, organisation })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Problems.InvitationNotFound;
        }

        var (invitation, organisation) = (found.invitation, found.organisation);
        return TypedResults.Ok(new InvitationPreview(
            organisation.Name,
            organisation.Slug,
            invitation.InviterUsername,
            Phones.Mask(invitation.Phone),
            invitation.ExpiresAt,
            invitation.StatusAt(time.GetUtcNow()),
            AccessSummary.Of(invitation.Access)));
    }
}
