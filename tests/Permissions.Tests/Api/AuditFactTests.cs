using TeamPlatform.Contracts.V1;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>
/// The organisation's audit gathers what identity and invitation publish (sign-ins, sessions ended, invitations sent,
/// renewed, revoked, accepted): each fact once, in the chain, with who did it.
/// </summary>
[Collection(nameof(PermissionCollection))]
public sealed class AuditFactTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task Sign_ins_sessions_ended_and_invitations_enter_the_chain_once_each_with_who_did_them()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" });
        var (session, invitation) = (Guid.NewGuid(), Guid.NewGuid());
        var phone = TestPhones.New();
        var at = _host.Time.GetUtcNow().AddMinutes(-5);
        var signedIn = new MemberSignedIn(team.OrgId, member, session, at);

        await _host.Bus.Publish(signedIn);
        await _host.Bus.Publish(signedIn); // the same message again is another message: a new id, a new sign-in entry
        await _host.Bus.Publish(new MemberSessionsRevoked(team.OrgId, member, at.AddMinutes(1), session.ToString("N"), "signed_out", at.AddMinutes(1)));
        await _host.Bus.Publish(new InvitationCreated(team.OrgId, invitation, phone, team.AdminId, at.AddDays(30), at.AddMinutes(2)));
        await _host.Bus.Publish(new InvitationRenewed(team.OrgId, invitation, team.AdminId, at.AddDays(60), at.AddMinutes(3)));
        await _host.Bus.Publish(new InvitationRevoked(team.OrgId, invitation, team.AdminId, at.AddMinutes(4)));

        var items = await Eventually.Until(
            async () => (await (await team.Admin.GetAsync("/api/audit?pageSize=50")).Json()).GetProperty("items").EnumerateArray().ToList(),
            entries => entries.Count(e => e.GetProperty("action").GetString() != "registered" && e.GetProperty("action").GetString() != "genesis") >= 6,
            what: "six gathered entries");

        var facts = items.Where(e => e.GetProperty("action").GetString() is not ("registered" or "genesis")).ToList();
        // Each service's facts reach the chain as they are consumed: compared without their order.
        Assert.Equal(
            new[] { "invitation_renewed", "invitation_revoked", "invitation_sent", "sessions_revoked", "signed_in", "signed_in" },
            facts.Select(e => e.GetProperty("action").GetString()).Order(StringComparer.Ordinal));
        var signIn = facts.First(e => e.GetProperty("action").GetString() == "signed_in");
        Assert.Equal((member, member, "member"), (signIn.GetProperty("memberId").GetGuid(), signIn.GetProperty("actorId").GetGuid(), signIn.GetProperty("changedByKind").GetString()));
        Assert.Equal(at, signIn.GetProperty("occurredAt").GetDateTimeOffset());
        var sent = facts.Single(e => e.GetProperty("action").GetString() == "invitation_sent");
        Assert.Equal((team.AdminId, phone), (sent.GetProperty("actorId").GetGuid(), sent.GetProperty("after").GetProperty("phone").GetString()));
        var ended = facts.Single(e => e.GetProperty("action").GetString() == "sessions_revoked");
        Assert.Equal(("system", "signed_out"), (ended.GetProperty("changedByKind").GetString(), ended.GetProperty("after").GetProperty("reason").GetString()));
        Assert.True((await (await team.Admin.GetAsync("/api/audit/verify")).Json()).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task A_fact_delivered_twice_is_recorded_once()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" });
        var messageId = Guid.NewGuid();
        var accepted = new InvitationAccepted(team.OrgId, Guid.NewGuid(), member, _host.Time.GetUtcNow());

        await _host.Bus.Publish(accepted, messageId);
        await _host.Bus.Publish(accepted, messageId);
        await Eventually.Until(() => CountAsync(team, "invitation_accepted"), count => count >= 1, what: "the accepted invitation");
        await _host.Bus.Publish(new InvitationRevoked(team.OrgId, Guid.NewGuid(), team.AdminId, _host.Time.GetUtcNow()));
        await Eventually.Until(() => CountAsync(team, "invitation_revoked"), count => count == 1, what: "a later fact");

        Assert.Equal(1, await CountAsync(team, "invitation_accepted"));
    }

    private static async Task<int> CountAsync(Team team, string action) =>
        (await (await team.Admin.GetAsync("/api/audit?pageSize=50")).Json()).GetProperty("items").EnumerateArray()
            .Count(e => e.GetProperty("action").GetString() == action);
}
