using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TeamPlatform.Testing;

namespace TeamPlatform.System.Tests.Fuzz;

/// <summary>An organisation with an admin, a staff member, groups and invitations, as the fuzz names and watches it.</summary>
public sealed class SeededOrganisation(TeamPlatformClient client, TeamPlatformClient.Org org, TeamPlatformClient.Member staff, OrganisationIds ids)
{
    public TeamPlatformClient.Org Org { get; } = org;

    public TeamPlatformClient.Member Admin => Org.Creator;

    public TeamPlatformClient.Member Staff { get; } = staff;

    public OrganisationIds Ids { get; } = ids;

    public static async Task<SeededOrganisation> CreateAsync(TeamPlatformClient client)
    {
        var org = await client.CreateOrganisationAsync();
        var groupIds = new List<Guid>();
        foreach (var name in new[] { "Choir", "Ushers", "Youth" })
        {
            var created = await client.SendAs(org.Creator, HttpMethod.Post, "/api/groups", new { name });
            await TeamPlatformClient.Expect(created, HttpStatusCode.Created);
            groupIds.Add(Guid.Parse((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!));
        }

        var staff = await client.MemberWithAccessAsync(org, new { role = "staff", groupIds = new[] { groupIds[0] } });
        await client.SignInAsync(staff, org.Slug);

        var invitationIds = new List<Guid>();
        foreach (var role in new[] { "staff", "manager" })
        {
            var invited = await client.SendAs(org.Creator, HttpMethod.Post, "/api/invitations",
                new { phone = TestPhones.New(), email = (string?)null, access = new { role, groupIds = role == "staff" ? new[] { groupIds[1] } : null } });
            await TeamPlatformClient.Expect(invited, HttpStatusCode.Created);
            invitationIds.Add(Guid.Parse((await invited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!));
        }

        var members = (await client.GetJson(org.Creator, "/api/members?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        var ids = new OrganisationIds(
            org.Slug,
            org.OrgId,
            members.Select(m => Guid.Parse(m.GetProperty("id").GetString()!)).Where(id => id != org.Creator.MemberId).ToList(),
            groupIds,
            invitationIds,
            members.Select(m => m.GetProperty("phone").GetString()!).ToList());
        return new SeededOrganisation(client, org, staff, ids);
    }

    /// <summary>
    /// Everything an admin can observe of the organisation: its settings, members (each with their access) in every
    /// status, groups and invitations.
    /// </summary>
    public async Task<string> SnapshotAsync()
    {
        var snapshot = new StringBuilder();
        foreach (var path in new[]
                 {
                     "/api/org", "/api/members/summary", "/api/members?pageSize=200", "/api/members?status=pending_approval&pageSize=200",
                     "/api/members?status=blocked&pageSize=200", "/api/members?status=removed&pageSize=200", "/api/groups?pageSize=200",
                     "/api/invitations?pageSize=200",
                 })
        {
            snapshot.AppendLine($"{path} {(await client.GetJson(Admin, path)).GetRawText()}");
        }

        return snapshot.ToString();
    }
}
