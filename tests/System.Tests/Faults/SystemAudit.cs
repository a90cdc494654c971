using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Internal;
using Xunit;

namespace TeamPlatform.System.Tests.Faults;

/// <summary>
/// What must hold after any fault, read from every service's database and both permission replicas and held against
/// the <see cref="Ledger"/>: every write answered 2xx is there; none took effect twice; every message went once;
/// every event reached every consumer (their copies agree with permission's, both replicas at the latest revision);
/// and the invariants (an admin in every organisation, the first admins, one member per accepted invitation).
/// </summary>
public sealed class SystemAudit(FaultSystemFixture system, LoadDriver load)
{
    private static readonly string[] Replicas = [ServiceNames.Permission, $"{ServiceNames.Permission}-b"];

    /// <summary>Waits until nothing is wrong, and answers how long that took; fails with what is still wrong after <paramref name="within"/>.</summary>
    public async Task<TimeSpan> CaughtUpWithinAsync(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        List<string> problems;
        while (true)
        {
            problems = await ProblemsAsync();
            if (problems.Count == 0)
            {
                return clock.Elapsed;
            }

            if (clock.Elapsed > within)
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"After {within.TotalSeconds:F0} s, {problems.Count} problem(s):\n{string.Join("\n", problems.Take(40))}\n{load.Ledger.Summary()}");
        return clock.Elapsed;
    }

    public async Task<List<string>> ProblemsAsync()
    {
        var problems = new List<string>();
        var ledger = load.Ledger;
        var orgs = string.Join(",", load.Organisations.Select(o => $"'{o.Org.OrgId}'"));

        foreach (var service in ServiceNames.Api)
        {
            var waiting = await ScalarAsync(service, "select count(*) from outbox_messages");
            if (waiting > 0)
            {
                problems.Add($"{service}: {waiting} outbox rows not relayed");
            }
        }

        var members = await system.QueryAsync(ServiceNames.Permission,
            $"select id, org_id, phone, status, role, is_admin, invitation_id, revision, auto_promoted, access::text as access from members where org_id in ({orgs})");
        var byId = members.ToDictionary(m => (Guid)m["id"]!);
        problems.AddRange(members.GroupBy(m => ((Guid)m["org_id"]!, (string)m["phone"]!)).Where(g => g.Count() > 1)
            .Select(g => $"permission: {g.Count()} members with one phone {g.Key.Item2}"));
        problems.AddRange(ledger.Members.Where(m => !byId.ContainsKey(m.MemberId)).Select(m => $"permission: member {m.MemberId} answered 200 is missing"));

        var credentials = await system.QueryAsync(ServiceNames.Identity, $"select member_id, phone from credentials where org_id in ({orgs})");
        var credentialIds = credentials.Select(c => (Guid)c["member_id"]!).ToHashSet();
        // Every member permission holds, answered 200 or not: a verification answered 503 the client gave up on included.
        problems.AddRange(members.Select(m => (Guid)m["id"]!).Where(id => !credentialIds.Contains(id)).Select(id => $"identity: member {id} has no credential"));
        problems.AddRange(credentials.GroupBy(c => (string)c["phone"]!).Where(g => g.Count() > 1).Select(g => $"identity: {g.Count()} credentials for {g.Key}"));

        // Identity's copy of each member's access, the notification service's directory: kept by events.
        var copies = (await system.QueryAsync(ServiceNames.Identity, $"select member_id, revision from member_access where org_id in ({orgs})"))
            .ToDictionary(c => (Guid)c["member_id"]!, c => (long)c["revision"]!);
        var directory = (await system.QueryAsync(ServiceNames.Notification, $"select member_id, phone from members where org_id in ({orgs})"))
            .ToDictionary(d => (Guid)d["member_id"]!, d => (string?)d["phone"]);
        foreach (var member in members)
        {
            var id = (Guid)member["id"]!;
            // A copy fetched from permission (no copy yet, or a registration completed from its event) carries the
            // organisation's revision at the read, which may be past the member's own last change: never behind it.
            if (!copies.TryGetValue(id, out var copied) || copied < (long)member["revision"]!)
            {
                problems.Add($"identity: access copy of {id} at revision {(copies.TryGetValue(id, out var r) ? r : null)}, permission at {member["revision"]}");
            }

            if (!directory.TryGetValue(id, out var phone) || phone != (string)member["phone"]!)
            {
                problems.Add($"notification: directory lacks member {id}");
            }
        }

        var invitationOrgs = await system.QueryAsync(ServiceNames.Invitation, $"select id from organisations where id in ({orgs})");
        if (invitationOrgs.Count != load.Organisations.Count)
        {
            problems.Add($"invitation: knows {invitationOrgs.Count} of {load.Organisations.Count} organisations");
        }

        var invitations = (await system.QueryAsync(ServiceNames.Invitation, $"select id, accepted_at from invitations where org_id in ({orgs})"))
            .ToDictionary(i => (Guid)i["id"]!, i => i["accepted_at"] is not null);
        problems.AddRange(ledger.Invitations.Where(i => !invitations.ContainsKey(i.InvitationId)).Select(i => $"invitation: {i.InvitationId} answered 201 is missing"));
        foreach (var (invitation, accepted) in invitations.Where(i => i.Value))
        {
            var joined = members.Count(m => m["invitation_id"] is Guid id && id == invitation);
            if (joined != 1)
            {
                problems.Add($"invitation {invitation} accepted with {joined} members");
            }
        }

        problems.AddRange(members.Where(m => m["invitation_id"] is Guid id && !(invitations.TryGetValue(id, out var accepted) && accepted))
            .Select(m => $"member {m["id"]} joined by invitation {m["invitation_id"]}, which is not accepted"));

        problems.AddRange(await AccessProblemsAsync(byId, orgs));
        problems.AddRange(await MessageProblemsAsync(orgs));
        problems.AddRange(await InvariantProblemsAsync(members, orgs));
        problems.AddRange(await ReplicaProblemsAsync());
        return problems;
    }

    /// <summary>
    /// Every change answered 200 that changed something is in the audit at the revision it answered, none is there
    /// twice, and the last change answered 200 is the member's access (unless one asked after it got no answer). A change
    /// to the access a member already has answers 200 and records nothing.
    /// </summary>
    private async Task<List<string>> AccessProblemsAsync(Dictionary<Guid, Dictionary<string, object?>> members, string orgs)
    {
        var problems = new List<string>();
        var creators = string.Join(",", load.Organisations.Select(o => $"'{o.Org.Creator.MemberId}'"));
        var audited = (await system.QueryAsync(ServiceNames.Permission,
                $"select member_id, revision from audit_entries where org_id in ({orgs}) and action = 'access_changed' and actor_id in ({creators})"))
            .GroupBy(a => (Guid)a["member_id"]!)
            .ToDictionary(g => g.Key, g => g.Select(a => (long)a["revision"]!).ToList());
        foreach (var (memberId, asked) in load.Ledger.Access)
        {
            var writes = asked.ToList();
            var entries = audited.GetValueOrDefault(memberId) ?? [];
            if (entries.Count > writes.Count)
            {
                problems.Add($"audit: {entries.Count} access changes of {memberId} for {writes.Count} asked");
            }

            for (var i = 1; i < writes.Count; i++)
            {
                var (before, write) = (writes[i - 1], writes[i]);
                if (before.Answered && write.Answered && (before.Role, before.GroupId) != (write.Role, write.GroupId) && !entries.Contains(write.Revision!.Value))
                {
                    problems.Add($"audit: no entry of {memberId} at revision {write.Revision}, a change answered 200");
                }
            }

            var last = writes.FindLastIndex(w => w.Answered);
            if (last < 0 || last < writes.Count - 1 || !members.TryGetValue(memberId, out var member))
            {
                continue;
            }

            var expected = writes[last];
            var access = (string)member["access"]!;
            if ((string)member["role"]! != expected.Role || (expected.GroupId is not null && !access.Contains(expected.GroupId, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"permission: {memberId} is {member["role"]} {access}; its last answered change was {expected}");
            }
        }

        return problems;
    }

    /// <summary>Every code asked for and every invitation sent was delivered once; nobody got one message twice.</summary>
    private async Task<List<string>> MessageProblemsAsync(string orgs)
    {
        var problems = new List<string>();
        var messages = await system.QueryAsync(ServiceNames.Notification,
            $"""select "to", template, variables::text as variables from dev_messages where org_id in ({orgs})""");
        problems.AddRange(messages.GroupBy(m => ((string)m["to"]!, (string)m["template"]!, (string)m["variables"]!)).Where(g => g.Count() > 1)
            .Select(g => $"notification: {g.Key.Item1} got its '{g.Key.Item2}' message {g.Count()} times"));
        foreach (var phone in load.Ledger.CodesAsked)
        {
            var codes = messages.Count(m => (string)m["to"]! == phone && (string)m["template"]! == "otp");
            if (codes != 1)
            {
                problems.Add($"notification: {codes} codes to {phone}, asked for once");
            }
        }

        foreach (var invitation in load.Ledger.Invitations)
        {
            var sent = messages.Count(m => (string)m["to"]! == invitation.Phone && (string)m["template"]! == "invitation");
            if (sent != 1)
            {
                problems.Add($"notification: {sent} invitation messages to {invitation.Phone}");
            }
        }

        return problems;
    }

    private async Task<List<string>> InvariantProblemsAsync(List<Dictionary<string, object?>> members, string orgs)
    {
        var problems = new List<string>();
        var organisations = await system.QueryAsync(ServiceNames.Permission, $"select id, auto_admin_count, auto_promoted from organisations where id in ({orgs})");
        foreach (var organisation in organisations)
        {
            var id = (Guid)organisation["id"]!;
            var own = members.Where(m => (Guid)m["org_id"]! == id).ToList();
            if (!own.Any(m => (bool)m["is_admin"]! && (string)m["status"]! == "active"))
            {
                problems.Add($"organisation {id} has no active admin");
            }

            var promoted = own.Count(m => (bool)m["auto_promoted"]!);
            var limit = (int)organisation["auto_admin_count"]!;
            var selfRegistered = own.Count(m => m["invitation_id"] is null);
            if (promoted != (int)organisation["auto_promoted"]! || promoted != Math.Min(limit, selfRegistered))
            {
                problems.Add($"organisation {id}: {promoted} members promoted automatically, counter {organisation["auto_promoted"]}, first {limit} of {selfRegistered}");
            }
        }

        return problems;
    }

    /// <summary>Both replicas answer a check at the organisation's latest revision, without being asked for it (no <c>minRevision</c>).</summary>
    private async Task<List<string>> ReplicaProblemsAsync()
    {
        var problems = new List<string>();
        foreach (var organisation in load.Organisations)
        {
            var latest = await ScalarAsync(ServiceNames.Permission, $"select revision from organisations where id = '{organisation.Org.OrgId}'");
            foreach (var replica in Replicas)
            {
                var revision = await ReplicaRevisionAsync(replica, organisation);
                if (revision != latest)
                {
                    problems.Add($"{replica}: organisation {organisation.Org.OrgId} at revision {revision}, latest {latest}");
                }
            }
        }

        return problems;
    }

    public async Task<long?> ReplicaRevisionAsync(string replica, LoadDriver.Organisation organisation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/permissions/check")
        {
            Content = JsonContent.Create(new { permission = "message_inbox", groupIds = new[] { organisation.GroupA } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", organisation.Org.Creator.AccessToken);
        try
        {
            using var client = system.Replica(replica);
            using var response = await client.SendAsync(request);
            return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt64() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private async Task<long> ScalarAsync(string service, string sql) =>
        Convert.ToInt64((await system.QueryAsync(service, sql)).Single().Values.Single(), global::System.Globalization.CultureInfo.InvariantCulture);
}
