using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.LoadDriver;

/// <summary>An organisation made through the public API, with a staff member scoped to one of two groups.</summary>
public sealed record Team(TeamPlatformClient Api, TeamPlatformClient.Org Org, Member Staff, string GrantedGroup, string OtherGroup)
{
    public static async Task<Team> CreateAsync(HttpClient gateway)
    {
        var api = new TeamPlatformClient(gateway);
        var org = await api.CreateOrganisationAsync();
        await api.RegisterAsync(org.Slug); // the second member becomes the other automatic admin
        var staff = await api.RegisterAsync(org.Slug);
        var granted = await CreateGroupAsync(api, org.Creator, "granted");
        var other = await CreateGroupAsync(api, org.Creator, "other");
        await SetAccessAsync(api, org.Creator, staff.MemberId, new { role = "staff", groupIds = new[] { granted } });
        await api.SignInAsync(staff, org.Slug);
        return new Team(api, org, staff, granted, other);
    }

    public static async Task<string> CreateGroupAsync(TeamPlatformClient api, Member admin, string name)
    {
        var response = await api.SendAs(admin, HttpMethod.Post, "/api/groups", new { name });
        await Expect(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Changes a member's access; answers the organisation's new revision.</summary>
    public static async Task<long> SetAccessAsync(TeamPlatformClient api, Member admin, Guid memberId, object access)
    {
        var response = await api.SendAs(admin, HttpMethod.Put, $"/api/members/{memberId}/access", access);
        await Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt64();
    }
}
